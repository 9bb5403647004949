import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3.error.js';
import { stripInvalidXmlChars } from './xml.writer.js';

export interface CreateBucketConfiguration {
  /** As sent, possibly '' for `<LocationConstraint/>`; the handler decides what regions mean. */
  locationConstraint?: string;
}

/** Far above any real CreateBucketConfiguration; bounds the work an abusive body can cause. */
export const MAX_CREATE_BUCKET_CONFIGURATION_BYTES = 1024 * 1024;

/** Members of the AWS schema that select features we do not have (directory buckets, tags). */
const UNIMPLEMENTED_MEMBERS = new Set(['Location', 'Bucket', 'Tags']);

const parser = new XMLParser({
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

/**
 * The optional body of CreateBucket. Empty → {}. Anything that is not a single well-formed
 * CreateBucketConfiguration document → MalformedXML, including any DTD (the classic XXE and
 * entity-expansion vectors are refused before a parser sees them).
 */
export function parseCreateBucketConfiguration(xml: string): CreateBucketConfiguration {
  // A UTF-8 BOM is legal before the declaration but trips the validator.
  const body = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if (Buffer.byteLength(body, 'utf8') > MAX_CREATE_BUCKET_CONFIGURATION_BYTES) throw malformed();
  if (body.trim() === '') return {};
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw malformed();
  if (XMLValidator.validate(body) !== true) throw malformed();
  if (hasUndefinedEntityReference(body)) throw malformed();

  let document: unknown;
  try {
    document = parser.parse(body);
  } catch {
    throw malformed(); // e.g. nesting deeper than maxNestedTags
  }
  return readConfiguration(document);
}

function readConfiguration(document: unknown): CreateBucketConfiguration {
  if (!isRecord(document)) throw malformed();
  const roots = Object.keys(document);
  // The validator accepts several top-level elements; XML allows exactly one.
  if (roots.length !== 1 || roots[0] !== 'CreateBucketConfiguration') throw malformed();
  const occurrences = document.CreateBucketConfiguration;
  if (!Array.isArray(occurrences) || occurrences.length !== 1) throw malformed();
  const root: unknown = occurrences[0];
  // <CreateBucketConfiguration/>, or only whitespace inside; any other text is not in the schema.
  if (typeof root === 'string' && root.trim() === '') return {};
  if (!isRecord(root)) throw malformed();

  const configuration: CreateBucketConfiguration = {};
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') {
      if (typeof value !== 'string' || value.trim() !== '') throw malformed(); // only indentation
    } else if (name === 'LocationConstraint') {
      configuration.locationConstraint = readSingleText(value);
    } else if (UNIMPLEMENTED_MEMBERS.has(name)) {
      throw new S3Error('NotImplemented');
    } else {
      throw malformed();
    }
  }
  return configuration;
}

function readSingleText(value: unknown): string {
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'string') throw malformed();
  return decodePredefinedEntities(value[0]);
}

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(): S3Error {
  return new S3Error('MalformedXML');
}
