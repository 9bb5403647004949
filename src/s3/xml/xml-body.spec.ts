import { Readable } from 'node:stream';
import type { S3HttpRequest } from '../http/s3-request.js';
import { readSingleText } from './hardened-xml.js';
import { XML_SLICE_CHARS, xmlDocumentType } from './xml-body.js';

const KEY_DOCUMENT = xmlDocumentType('R', 1024 * 1024, (root) => readSingleText((root as { K: unknown }).K), { whenEmpty: () => 'empty' });

function request(body: Buffer, headers: Record<string, string> = { 'content-length': String(body.length) }, pieces = 1): S3HttpRequest {
  const size = Math.ceil(body.length / pieces);
  const chunks = Array.from({ length: pieces }, (_, i) => body.subarray(i * size, (i + 1) * size)).filter((c) => c.length > 0);
  return Object.assign(Readable.from(chunks), { headers, sediment: { requestId: 'r' }, complete: true }) as unknown as S3HttpRequest;
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

describe('xmlDocumentType.read', () => {
  it('reads a body whose surrogate pairs and UTF-8 sequences are split by slices and chunks', async () => {
    const key = `${'a'.repeat(XML_SLICE_CHARS - 8)}😀é中${'b'.repeat(XML_SLICE_CHARS)}😀`;
    const body = Buffer.from(`<R><K>${key}</K></R>`, 'utf8');
    for (const pieces of [1, 7, 333]) expect(await KEY_DOCUMENT.read(request(body, undefined, pieces))).toBe(key);
  });

  it('answers an absent or blank body as the document type says', async () => {
    expect(await KEY_DOCUMENT.read(request(Buffer.alloc(0), {}))).toBe('empty');
    expect(await KEY_DOCUMENT.read(request(Buffer.from(' \n ')))).toBe('empty');
  });

  it('refuses a declared length over the limit before reading a byte', async () => {
    const small = xmlDocumentType('R', 10, () => 'x');
    const req = request(Buffer.from('<R/>'), { 'content-length': '11' });
    expect(await codeOf(small.read(req))).toBe('MaxMessageLengthExceeded');
    expect(req.readableDidRead).toBe(false);
  });

  it('refuses bytes that are not UTF-8 instead of reading them as U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('<R><K>'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('</K></R>')]);
    expect(await codeOf(KEY_DOCUMENT.read(request(body)))).toBe('MalformedXML');
  });
});
