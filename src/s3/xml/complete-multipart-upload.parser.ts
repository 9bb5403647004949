import { CHECKSUM_ALGORITHM_NAMES, type RequestedPartChecksums } from '../../bucket-stream/multipart-checksum.js';
import type { ChecksumAlgorithmName } from '../../bucket-stream/object.events.js';
import { assertOnlyWhitespace, isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';

export interface CompleteMultipartUploadPart {
  partNumber: number;
  etag: string;
  /** <ChecksumCRC32> … <ChecksumSHA256>, when the part names any. */
  checksums?: RequestedPartChecksums;
}

/**
 * A real 10,000-part body is about 1 MB (with an ETag and one checksum per part, 1.6 MB); S3
 * refuses more, and so do we: the body is bounded work however it is written.
 */
export const MAX_COMPLETE_MULTIPART_UPLOAD_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The body of CompleteMultipartUpload: `<CompleteMultipartUpload><Part><PartNumber/><ETag/>
 * [Checksum*]</Part>+</CompleteMultipartUpload>`. The per-part checksums are returned for the
 * decider to compare with those stored; other Checksum* elements are ignored. Anything else →
 * MalformedXML.
 */
export const COMPLETE_MULTIPART_UPLOAD_DOCUMENT = xmlDocumentType(
  'CompleteMultipartUpload',
  MAX_COMPLETE_MULTIPART_UPLOAD_BODY_BYTES,
  readCompleteMultipartUpload,
  { childReaders: { Part: readPart } },
);

export function parseCompleteMultipartUpload(xml: string): CompleteMultipartUploadPart[] {
  return COMPLETE_MULTIPART_UPLOAD_DOCUMENT.parse(xml);
}

function readCompleteMultipartUpload(root: XmlValue): CompleteMultipartUploadPart[] {
  if (!isRecord(root)) throw malformed();
  let parts: CompleteMultipartUploadPart[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') assertOnlyWhitespace(value);
    else if (name === 'Part') parts = readParts(value);
    else throw malformed();
  }
  if (parts.length === 0) throw malformed();
  return parts;
}

/** Each <Part> was read as it closed (readPart): here they are only counted. */
function readParts(value: unknown): CompleteMultipartUploadPart[] {
  if (!Array.isArray(value) || value.length > 10_000) throw malformed();
  return value as CompleteMultipartUploadPart[];
}

function readPart(part: XmlValue): CompleteMultipartUploadPart {
  if (!isRecord(part)) throw malformed();
  let partNumber: number | undefined;
  let etag: string | undefined;
  const checksums: RequestedPartChecksums = {};
  for (const [name, member] of Object.entries(part)) {
    if (name === '#text') assertOnlyWhitespace(member);
    else if (name === 'PartNumber') {
      const text = readSingleText(member).trim();
      if (!/^\d{1,9}$/.test(text)) throw malformed();
      partNumber = Number(text);
    } else if (name === 'ETag') etag = readSingleText(member).trim();
    else if (CHECKSUM_ALGORITHM_NAMES.includes(name.slice('Checksum'.length) as ChecksumAlgorithmName)) {
      checksums[name.slice('Checksum'.length) as ChecksumAlgorithmName] = readSingleText(member).trim();
    } else if (!name.startsWith('Checksum')) throw malformed();
  }
  if (partNumber === undefined || etag === undefined || etag === '') throw malformed();
  return { partNumber, etag, ...(Object.keys(checksums).length > 0 ? { checksums } : {}) };
}
