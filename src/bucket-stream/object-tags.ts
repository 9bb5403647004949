import { S3Error } from '../errors/s3.error.js';

/** One tag of an object, as PutObjectTagging or `x-amz-tagging` gave it. */
export interface ObjectTag {
  key: string;
  value: string;
}

/** S3's limits on an object's tag set (user guide, "Categorizing your storage using tags"). */
export const MAX_OBJECT_TAGS = 10;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Letters, numbers, white space and `_ . : / = + @ -`: the characters AWS allows in a tag
 * (S3 refuses `[`, `{` or `,` in an object's tag with InvalidTag).
 */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function invalidTag(message: string): S3Error {
  return new S3Error('InvalidTag', { message });
}

/** A bucket carries up to 50 tags (PutBucketTagging), with the same rules for each tag. */
export const MAX_BUCKET_TAGS = 50;

/**
 * Checks an object's tag set against S3's rules, in the order S3 reports them: more than 10 tags
 * is `BadRequest` (what S3 answers, although its error table suggests InvalidTag), then per tag
 * the key and value, then duplicate keys. Lengths count UTF-16 code units, as S3 does
 * ("Amazon S3 object tags are internally represented in UTF-16").
 */
export function assertValidTagSet(tags: readonly ObjectTag[]): void {
  if (tags.length > MAX_OBJECT_TAGS) {
    throw new S3Error('BadRequest', { message: `Object tags cannot be greater than ${MAX_OBJECT_TAGS}` });
  }
  assertValidTags(tags);
}

/** A bucket's tag set: more than 50 tags is InvalidTag, then each tag as an object's. */
export function assertValidBucketTagSet(tags: readonly ObjectTag[]): void {
  if (tags.length > MAX_BUCKET_TAGS) throw invalidTag(`Bucket tag count cannot be greater than ${MAX_BUCKET_TAGS}`);
  assertValidTags(tags);
}

function assertValidTags(tags: readonly ObjectTag[]): void {
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length > MAX_TAG_KEY_LENGTH) throw invalidTag(`The TagKey you have provided is too long, max ${MAX_TAG_KEY_LENGTH}`);
    if (key.length === 0 || !TAG_CHARACTERS.test(key)) throw invalidTag('The TagKey you have provided is invalid');
    if (key.startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw invalidTag(`The TagValue you have provided is too long, max ${MAX_TAG_VALUE_LENGTH}`);
    }
    if (!TAG_CHARACTERS.test(value)) throw invalidTag('The TagValue you have provided is invalid');
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
}

const HEADER_MESSAGE =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

/**
 * `x-amz-tagging: k1=v1&k2=v2` (PutObject, CreateMultipartUpload): URL query parameters, a
 * name without `=` holding the empty value. A name given twice, a pair with more than one
 * `=`, or escapes that are not UTF-8 → InvalidArgument; then the tag rules apply.
 */
export function parseTaggingHeader(header: string): ObjectTag[] {
  const tags: ObjectTag[] = [];
  if (header === '') return tags;
  const seen = new Set<string>();
  for (const pair of header.split('&')) {
    const parts = pair.split('=');
    if (parts.length > 2) throw new S3Error('InvalidArgument', { message: HEADER_MESSAGE });
    const key = decodeFormComponent(parts[0]!);
    const value = decodeFormComponent(parts[1] ?? '');
    if (seen.has(key)) throw new S3Error('InvalidArgument', { message: HEADER_MESSAGE });
    seen.add(key);
    tags.push({ key, value });
  }
  assertValidTagSet(tags);
  return tags;
}

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new S3Error('InvalidArgument', { message: HEADER_MESSAGE });
  }
}
