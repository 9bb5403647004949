import { S3Error } from '../../errors/s3.error.js';
import { isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';

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
 * entity-expansion vectors are refused by the reader), and a body over the limit.
 */
export const CREATE_BUCKET_CONFIGURATION_DOCUMENT = xmlDocumentType<CreateBucketConfiguration>(
  'CreateBucketConfiguration',
  MAX_CREATE_BUCKET_CONFIGURATION_BYTES,
  readConfiguration,
  { whenEmpty: (): CreateBucketConfiguration => ({}), oversize: malformed },
);

export function parseCreateBucketConfiguration(xml: string): CreateBucketConfiguration {
  return CREATE_BUCKET_CONFIGURATION_DOCUMENT.parse(xml);
}

function readConfiguration(root: XmlValue): CreateBucketConfiguration {
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

