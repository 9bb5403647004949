import { setImmediate as nextTurn } from 'node:timers/promises';
import { S3Error } from '../../errors/s3.error.js';
import { payloadStream, type PayloadOptions } from '../http/request-body.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { malformed, parseHardenedDocument, XmlDocumentReader, type ChildReaders, type XmlValue } from './hardened-xml.js';

/**
 * At most this many characters are parsed in one turn of the event loop: a few milliseconds of
 * CPU, so a megabyte of XML never holds up the requests around it.
 */
export const XML_SLICE_CHARS = 16 * 1024;

/** One kind of request document: its root element, its size limit and how to read it. */
export interface XmlDocumentType<T> {
  /** Parses a body held in memory (the specs, and small inputs). */
  parse(xml: string): T;
  /** Reads the request's body and parses it as it arrives, a slice per turn of the event loop. */
  read(req: S3HttpRequest, options?: PayloadOptions): Promise<T>;
}

export interface XmlDocumentOptions<T> {
  /** Readers of the root's repeated children, run as each one closes (see ChildReaders). */
  childReaders?: ChildReaders;
  /** What an absent or blank body means; without it, MalformedXML. */
  whenEmpty?: () => T;
  /**
   * The error `parse` gives a document over the limit; MaxMessageLengthExceeded by default. A
   * request body over it is always MaxMessageLengthExceeded, as it was when bodies were read whole.
   */
  oversize?: () => S3Error;
}

export function xmlDocumentType<T>(
  root: string,
  maxBytes: number,
  interpret: (document: XmlValue) => T,
  options: XmlDocumentOptions<T> = {},
): XmlDocumentType<T> {
  const oversize = options.oversize ?? (() => new S3Error('MaxMessageLengthExceeded'));
  const empty = (): T => {
    if (options.whenEmpty) return options.whenEmpty();
    throw malformed();
  };
  return {
    parse(xml) {
      const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
      if (Buffer.byteLength(text, 'utf8') > maxBytes) throw oversize();
      if (text.trim() === '') return empty();
      return interpret(parseHardenedDocument(text, maxBytes, root, options.childReaders));
    },
    async read(req, payloadOptions = {}) {
      if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return empty();
      const { stream, size } = payloadStream(req, payloadOptions);
      const tooBig = () => new S3Error('MaxMessageLengthExceeded');
      if (size !== undefined && size > maxBytes) throw tooBig();
      const reader = new XmlDocumentReader(root, options.childReaders);
      // fatal: bytes that are not UTF-8 make the document malformed, never U+FFFD in a key.
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let bytes = 0;
      let blank = true;
      let sinceYield = 0;
      const feed = async (text: string) => {
        for (let at = 0; at < text.length; at += XML_SLICE_CHARS) {
          const slice = text.slice(at, at + XML_SLICE_CHARS);
          if (blank && slice.trim() !== '') blank = false;
          reader.write(slice);
          sinceYield += slice.length;
          // Small bodies are parsed at once; a large one gives way after every slice.
          if (sinceYield >= XML_SLICE_CHARS) {
            sinceYield = 0;
            await nextTurn();
          }
        }
      };
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw tooBig();
          await feed(decoder.decode(chunk, { stream: true }));
        }
        await feed(decoder.decode());
      } catch (error) {
        // The decoder met bytes that are not UTF-8.
        if ((error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw malformed();
        throw error;
      }
      if (blank) return empty();
      return interpret(reader.close());
    },
  };
}
