import type { ObjectTag } from '../../bucket-stream/object-tags.js';
import { childElements, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement } from './xml.writer.js';

/** Ten tags of 128 + 256 characters, escaped, stay far below this. */
export const MAX_TAGGING_BYTES = 64 * 1024;

/**
 * The body of PutObjectTagging: `<Tagging><TagSet><Tag><Key/><Value/></Tag>*</TagSet></Tagging>`,
 * Tagging and TagSet once each, every Tag with exactly one Key and one Value. Structure only:
 * the tag rules are the decider's. Not that shape → MalformedXML.
 */
/** Read from the request as it arrives (`TAGGING_DOCUMENT.read`), or parsed from memory. */
export const TAGGING_DOCUMENT = xmlDocumentType('Tagging', MAX_TAGGING_BYTES, readTagging);

export function parseTagging(xml: string): ObjectTag[] {
  return TAGGING_DOCUMENT.parse(xml);
}

function readTagging(root: XmlValue): ObjectTag[] {
  const children = childElements(root);
  if (children.length !== 1 || children[0]![0] !== 'TagSet' || children[0]![1].length !== 1) throw malformed();
  const tags: ObjectTag[] = [];
  for (const [name, occurrences] of childElements(children[0]![1][0], true)) {
    if (name !== 'Tag') throw malformed();
    tags.push(...occurrences.map(readTag));
  }
  return tags;
}

function readTag(value: unknown): ObjectTag {
  let key: string | undefined;
  let text: string | undefined;
  for (const [name, occurrences] of childElements(value)) {
    if (name === 'Key' && key === undefined) key = readSingleText(occurrences);
    else if (name === 'Value' && text === undefined) text = readSingleText(occurrences);
    else throw malformed();
  }
  if (key === undefined || text === undefined) throw malformed();
  return { key, value: text };
}

/** GetObjectTagging's answer; an object without tags has an empty TagSet, as in S3. */
export function renderTagging(tags: readonly ObjectTag[]): string {
  return renderXml(
    element(
      'Tagging',
      [element('TagSet', tags.map((t) => element('Tag', [textElement('Key', t.key), textElement('Value', t.value)])))],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}
