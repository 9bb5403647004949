import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { unstorableStringReason } from '../../event-log/storable.js';
import { S3Error } from '../../errors/s3.error.js';

/**
 * The one XML reader for request bodies (CreateBucketConfiguration, Delete, Tagging, …), on a
 * strict XML 1.0 parser (saxes): characters XML forbids (U+0000 and the other C0 controls but
 * tab, LF and CR; lone surrogates; U+FFFE/U+FFFF), raw or as references, are refused, as are
 * undefined entities, any DTD (no entity expansion, no XXE), text outside the root, a second root
 * and nesting deeper than MAX_DEPTH. It can be fed in slices, so a large body is parsed between
 * other requests instead of holding the event loop (see xml-body.ts).
 *
 * The parsed document keeps the shape the body readers use: an element is its text when it has
 * no children (`<Key>a</Key>` → 'a', `<TagSet/>` → ''), otherwise an object of child name →
 * occurrences (always an array), with its own text, if any, under '#text'. Namespace prefixes
 * and attributes are dropped (`<s3:Tagging xmlns:s3="…">` reads as Tagging).
 */
export type XmlValue = string | XmlElement;
export interface XmlElement {
  [name: string]: XmlValue[] | string;
}

/** Deeper than any S3 request document (CORS rules: 4). */
export const MAX_DEPTH = 16;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function malformed(): S3Error {
  return new S3Error('MalformedXML');
}

interface Frame {
  name: string;
  children: Record<string, XmlValue[]>;
  hasChildren: boolean;
  text: string;
}

/**
 * Readers of the root's repeated children (`<Part>`, `<Object>`), by element name: each child is
 * read as soon as it closes, so the work per slice of input stays bounded and the raw element is
 * not kept. The root's value then holds what they returned in place of those elements.
 */
export type ChildReaders = Readonly<Record<string, (value: XmlValue) => unknown>>;

/** An incremental reader of one document: `write` slices of text, then `close` for its root. */
export class XmlDocumentReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: false });
  private readonly stack: Frame[] = [];
  // Element names are the client's: `__proto__` or `constructor` must be plain keys, not members.
  private readonly top: Record<string, XmlValue[]> = Object.create(null) as Record<string, XmlValue[]>;
  private failed = false;

  constructor(
    private readonly root: string,
    private readonly childReaders: ChildReaders = {},
  ) {
    this.parser.on('error', () => {
      this.failed = true;
    });
    // A DTD is the door to entity expansion and external entities: never needed by S3.
    this.parser.on('doctype', () => {
      this.failed = true;
    });
    this.parser.on('opentag', (tag: SaxesTagPlain) => {
      if (this.stack.length >= MAX_DEPTH) {
        this.failed = true;
        return;
      }
      const colon = tag.name.indexOf(':');
      const name = colon === -1 ? tag.name : tag.name.slice(colon + 1);
      this.stack.push({ name, children: Object.create(null) as Record<string, XmlValue[]>, hasChildren: false, text: '' });
    });
    this.parser.on('text', (text) => this.appendText(text));
    this.parser.on('cdata', (text) => this.appendText(text));
    this.parser.on('closetag', () => this.closeElement());
  }

  /** Feeds the next slice of the document; throws MalformedXML as soon as it is known to be. */
  write(text: string): void {
    if (!this.failed) this.guarded(() => this.parser.write(text));
    if (this.failed) throw malformed();
  }

  /** Ends the document: its single root element's value (see XmlValue), or MalformedXML. */
  close(): XmlValue {
    if (!this.failed) this.guarded(() => this.parser.close());
    if (this.failed) throw malformed();
    const roots = Object.entries(this.top);
    if (roots.length !== 1 || roots[0]![0] !== this.root || roots[0]![1].length !== 1) throw malformed();
    return roots[0]![1][0]!;
  }

  /**
   * A child reader's refusal (an S3Error) is the answer; anything else saxes throws is a document
   * it could not read (fuzzing found a RangeError for '<!--<!--' and a lone surrogate at the end).
   */
  private guarded(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      if (error instanceof S3Error) throw error;
      this.failed = true;
    }
  }

  private appendText(text: string): void {
    const frame = this.stack[this.stack.length - 1];
    // A lone surrogate is no XML character (nor Unicode); saxes lets one through in a JS string.
    if (unstorableStringReason(text) !== undefined) this.failed = true;
    // Outside the root only whitespace is legal, and saxes already refuses anything else.
    if (frame && !this.failed) frame.text += text;
  }

  private closeElement(): void {
    const frame = this.stack.pop();
    if (!frame || this.failed) return;
    let value: XmlValue;
    if (!frame.hasChildren) value = frame.text;
    else {
      value = frame.children;
      if (frame.text !== '') value['#text'] = frame.text;
    }
    const parent = this.stack[this.stack.length - 1];
    if (this.stack.length === 1 && Object.hasOwn(this.childReaders, frame.name)) {
      value = this.childReaders[frame.name]!(value) as XmlValue;
    }
    const siblings = parent ? parent.children : this.top;
    if (parent) parent.hasChildren = true;
    (siblings[frame.name] ??= []).push(value);
  }
}

/**
 * Parses a whole body held in memory that must be one `root` element: a leading BOM dropped,
 * over `maxBytes` → MaxMessageLengthExceeded, blank or anything else → MalformedXML. For bodies
 * read from the network, readXmlBody (xml-body.ts) does the same in slices as they arrive.
 */
export function parseHardenedDocument(xml: string, maxBytes: number, root: string, childReaders: ChildReaders = {}): XmlValue {
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new S3Error('MaxMessageLengthExceeded');
  if (text.trim() === '') throw malformed();
  const reader = new XmlDocumentReader(root, childReaders);
  reader.write(text);
  return reader.close();
}

/** `<Key></Key>` parses as ''; anything but one text node is not in the schema. */
export function readSingleText(value: unknown): string {
  if (!Array.isArray(value) || value.length !== 1) throw malformed();
  const [text] = value as unknown[];
  if (typeof text !== 'string') throw malformed();
  return text;
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
