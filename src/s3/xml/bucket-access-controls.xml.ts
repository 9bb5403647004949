import {
  isObjectOwnership,
  PUBLIC_ACCESS_BLOCK_SETTINGS,
  type ObjectOwnership,
  type PublicAccessBlock,
} from '../../bucket-stream/bucket-access-controls.js';
import { assertOnlyWhitespace, isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { xmlDocumentType } from './xml-body.js';
import { element, renderXml, textElement } from './xml.writer.js';

/** Both documents are a few short elements; this bounds what an abusive body costs. */
const MAX_BYTES = 64 * 1024;

/** The XML element of each setting, in the order S3 writes them. */
const ELEMENT_OF: Readonly<Record<keyof PublicAccessBlock, string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/**
 * The body of PutPublicAccessBlock: `<PublicAccessBlockConfiguration>` with each of the four
 * settings at most once, `true` or `false`; an absent one is false. Anything else → MalformedXML.
 */
export const PUBLIC_ACCESS_BLOCK_DOCUMENT = xmlDocumentType('PublicAccessBlockConfiguration', MAX_BYTES, readPublicAccessBlock);

function readPublicAccessBlock(root: XmlValue): PublicAccessBlock {
  const settings: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
  if (typeof root === 'string') {
    assertOnlyWhitespace(root); // <PublicAccessBlockConfiguration/>: every setting false
    return settings;
  }
  const seen = new Set<string>();
  for (const [name, value] of members(root)) {
    const setting = PUBLIC_ACCESS_BLOCK_SETTINGS.find((s) => ELEMENT_OF[s] === name);
    if (setting === undefined || seen.has(name)) throw malformed();
    seen.add(name);
    const text = readSingleText(value).trim().toLowerCase();
    if (text !== 'true' && text !== 'false') throw malformed();
    settings[setting] = text === 'true';
  }
  return settings;
}

/**
 * The body of PutBucketOwnershipControls: `<OwnershipControls><Rule><ObjectOwnership>` one of
 * the three values `</ObjectOwnership></Rule></OwnershipControls>`, exactly one rule.
 */
export const OWNERSHIP_CONTROLS_DOCUMENT = xmlDocumentType('OwnershipControls', MAX_BYTES, readOwnershipControls);

function readOwnershipControls(root: XmlValue): ObjectOwnership {
  const children = members(root);
  if (children.length !== 1 || children[0]![0] !== 'Rule' || !Array.isArray(children[0]![1]) || children[0]![1].length !== 1) throw malformed();
  const rule = members(children[0]![1][0] as XmlValue);
  if (rule.length !== 1 || rule[0]![0] !== 'ObjectOwnership') throw malformed();
  const value = readSingleText(rule[0]![1]);
  if (!isObjectOwnership(value)) throw malformed();
  return value;
}

/** An element's children by name (namespace attributes and blank text dropped). */
function members(value: XmlValue): [string, unknown][] {
  if (!isRecord(value)) throw malformed();
  const children: [string, unknown][] = [];
  for (const [name, member] of Object.entries(value)) {
    if (name === '#text') assertOnlyWhitespace(member);
    else if (!name.startsWith('@_')) children.push([name, member]);
  }
  return children;
}

/** GetPublicAccessBlock's answer: all four settings, as S3 writes them. */
export function renderPublicAccessBlock(settings: PublicAccessBlock): string {
  return renderXml(
    element(
      'PublicAccessBlockConfiguration',
      PUBLIC_ACCESS_BLOCK_SETTINGS.map((s) => textElement(ELEMENT_OF[s], settings[s] ? 'true' : 'false')),
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}

/** GetBucketOwnershipControls' answer. */
export function renderOwnershipControls(ownership: ObjectOwnership): string {
  return renderXml(
    element('OwnershipControls', [element('Rule', [textElement('ObjectOwnership', ownership)])], { xmlns: S3_XML_NAMESPACE }),
  );
}
