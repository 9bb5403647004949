import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3.error.js';
import { stripInvalidXmlChars } from './xml.writer.js';

/**
 * The one XML parser configuration for request bodies (CreateBucketConfiguration, Delete, …):
 * entities never expanded, arrays everywhere, nesting bounded. Callers validate well-formedness
 * and refuse DTDs before parsing.
 */
export const hardenedXmlParser = new XMLParser({
  ignoreAttributes: true,
  // Entities are never expanded (no billion-laughs); the predefined five are decoded by hand below.
  processEntities: false,
  parseTagValue: false,
  trimValues: false,
  // Accept `<s3:CreateBucketConfiguration xmlns:s3="…">` like the unprefixed form.
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Arrays everywhere, so a repeated element is visible instead of silently merged.
  isArray: () => true,
  maxNestedTags: 16,
});

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/g;

/**
 * Undefined entities make a document not well-formed (and without a DTD only the predefined
 * five exist), but the validator lets `&foo;` through. CDATA and comments may hold a bare '&'.
 */
export function hasUndefinedEntityReference(xml: string): boolean {
  const outsideCdataAndComments = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  return outsideCdataAndComments.replace(REFERENCE, '').includes('&');
}

export function decodePredefinedEntities(text: string): string {
  return text.replace(REFERENCE, (_match, name?: string, decimal?: string, hex?: string) => {
    if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? '';
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    if (codePoint > 0x10ffff) throw malformed();
    const char = String.fromCodePoint(codePoint);
    // &#0; and friends name characters XML 1.0 does not allow at all.
    if (stripInvalidXmlChars(char) !== char) throw malformed();
    return char;
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function malformed(): S3Error {
  return new S3Error('MalformedXML');
}

/**
 * Parses a request body that must be one `root` element, with every hardening the body parsers
 * share: a leading BOM dropped, no DTD or entity declaration, well-formedness checked before
 * parsing, no undefined entity, nesting bounded by the parser. Over `maxBytes` →
 * MaxMessageLengthExceeded; blank or anything else → MalformedXML. Returns the root element's
 * (single) occurrence.
 */
export function parseHardenedDocument(xml: string, maxBytes: number, root: string): unknown {
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new S3Error('MaxMessageLengthExceeded');
  if (text.trim() === '') throw malformed();
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed();
  if (XMLValidator.validate(text) !== true) throw malformed();
  if (hasUndefinedEntityReference(text)) throw malformed();
  let document: unknown;
  try {
    document = hardenedXmlParser.parse(text);
  } catch {
    throw malformed(); // e.g. nesting deeper than maxNestedTags
  }
  if (!isRecord(document)) throw malformed();
  const roots = Object.keys(document);
  // The validator accepts several top-level elements; XML allows exactly one.
  if (roots.length !== 1 || roots[0] !== root) throw malformed();
  const occurrences = document[root];
  if (!Array.isArray(occurrences) || occurrences.length !== 1) throw malformed();
  return occurrences[0];
}

/** `<Key></Key>` parses as ''; anything but one text node is not in the schema. */
export function readSingleText(value: unknown): string {
  if (!Array.isArray(value) || value.length !== 1) throw malformed();
  const [text] = value as unknown[];
  if (typeof text !== 'string') throw malformed();
  return decodePredefinedEntities(text);
}

/** Text beside child elements must be blank. */
export function assertOnlyWhitespace(value: unknown): void {
  const texts = Array.isArray(value) ? value : [value];
  if (!texts.every((t) => typeof t === 'string' && t.trim() === '')) throw malformed();
}

/**
 * The child elements of a parsed element as [name, occurrences] pairs, indentation dropped; text
 * beside them → MalformedXML. `mayBeEmpty` lets an element without children (`<TagSet/>`,
 * parsed as '') through as having none.
 */
export function childElements(value: unknown, mayBeEmpty = false): [string, unknown[]][] {
  if (mayBeEmpty && typeof value === 'string' && value.trim() === '') return [];
  if (!isRecord(value)) throw malformed();
  const children: [string, unknown[]][] = [];
  for (const [name, member] of Object.entries(value)) {
    if (name === '#text') assertOnlyWhitespace(member);
    else if (Array.isArray(member)) children.push([name, member]);
    else throw malformed();
  }
  return children;
}
