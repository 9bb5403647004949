import { S3Error } from '../../errors/s3.error.js';
import { assertOnlyWhitespace, isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';

export interface DeleteObjectsEntry {
  key: string;
  versionId?: string;
}

export interface DeleteObjectsRequestBody {
  quiet: boolean;
  objects: DeleteObjectsEntry[];
}

/** AWS: "The request can contain a list of up to 1,000 keys". */
export const MAX_DELETE_OBJECTS = 1000;

/** 1000 keys of 1024 bytes each, with markup and escaping, stay well under this. */
export const MAX_DELETE_OBJECTS_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Members of the ObjectIdentifier schema that ask for conditional deletes (ETag,
 * LastModifiedTime, Size), which we do not have; refused rather than ignored.
 */
const UNIMPLEMENTED_OBJECT_MEMBERS = new Set(['ETag', 'LastModifiedTime', 'Size']);


/**
 * The body of DeleteObjects: `<Delete><Quiet/>?<Object><Key/><VersionId/>?</Object>+</Delete>`.
 * Anything else (no Object, more than 1000, a DTD, an undefined entity, unknown elements, an
 * empty Key) → MalformedXML, with the same hardening as the CreateBucketConfiguration parser.
 */
/** Read from the request as it arrives (`DELETE_OBJECTS_DOCUMENT.read`), or parsed from memory. */
export const DELETE_OBJECTS_DOCUMENT = xmlDocumentType('Delete', MAX_DELETE_OBJECTS_BODY_BYTES, readDeleteObjects, {
  childReaders: { Object: readObject },
});

export function parseDeleteObjects(xml: string): DeleteObjectsRequestBody {
  return DELETE_OBJECTS_DOCUMENT.parse(xml);
}

function readDeleteObjects(root: XmlValue): DeleteObjectsRequestBody {
  if (!isRecord(root)) throw malformed();

  let quiet = false;
  let objects: DeleteObjectsEntry[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') assertOnlyWhitespace(value);
    else if (name === 'Quiet') quiet = readBoolean(value);
    else if (name === 'Object') objects = readObjects(value);
    else throw malformed();
  }
  if (objects.length === 0 || objects.length > MAX_DELETE_OBJECTS) throw malformed();
  return { quiet, objects };
}

/** Each <Object> was read as it closed (readObject): here they are only counted. */
function readObjects(value: unknown): DeleteObjectsEntry[] {
  if (!Array.isArray(value) || value.length > MAX_DELETE_OBJECTS) throw malformed();
  return value as DeleteObjectsEntry[];
}

function readObject(object: XmlValue): DeleteObjectsEntry {
  if (!isRecord(object)) throw malformed();
  let key: string | undefined;
  let versionId: string | undefined;
  for (const [name, member] of Object.entries(object)) {
    if (name === '#text') assertOnlyWhitespace(member);
    else if (name === 'Key') key = readSingleText(member);
    else if (name === 'VersionId') versionId = readSingleText(member);
    else if (UNIMPLEMENTED_OBJECT_MEMBERS.has(name)) throw new S3Error('NotImplemented');
    else throw malformed();
  }
  if (key === undefined || key === '') throw malformed();
  return versionId === undefined ? { key } : { key, versionId };
}

function readBoolean(value: unknown): boolean {
  const text = readSingleText(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw malformed();
}
