import { XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3.error.js';
import { hardenedXmlParser as parser, hasUndefinedEntityReference, isRecord, malformed, readSingleText } from './hardened-xml.js';

export interface CreateBucketConfiguration {
  /** As sent, possibly '' for `<LocationConstraint/>`; the handler decides what regions mean. */
  locationConstraint?: string;
}

/** Far above any real CreateBucketConfiguration; bounds the work an abusive body can cause. */
export const MAX_CREATE_BUCKET_CONFIGURATION_BYTES = 1024 * 1024;

/** Members of the AWS schema that select features we do not have (directory buckets, tags). */
const UNIMPLEMENTED_MEMBERS = new Set(['Location', 'Bucket', 'Tags']);


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

