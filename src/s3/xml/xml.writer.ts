/**
 * A tiny XML element tree and its serializer. Every response body is built as a tree and
 * rendered here, so no caller ever concatenates a value into markup: text and attribute values
 * are always escaped, and element/attribute names are checked against a conservative pattern
 * (error `details` keys end up as element names).
 */
export type XmlNode = XmlElement | string | DeferredText;

/**
 * Text computed when it is written, not when the tree is built: a listing's URL-encoded keys
 * cost most of its rendering, and deferring them lets `renderXmlInSlices` spread that work.
 */
export interface DeferredText {
  readonly deferred: () => string;
}

export function deferredText(compute: () => string): DeferredText {
  return { deferred: compute };
}

export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** An element with child elements and/or text. */
export function element(
  name: string,
  children: readonly XmlNode[] = [],
  attributes?: Readonly<Record<string, string>>,
): XmlElement {
  return attributes === undefined ? { name, children } : { name, children, attributes };
}

/** `<name>value</name>`; numbers and booleans are written the way S3 writes them (10, true). */
export function textElement(name: string, value: string | number | boolean | DeferredText): XmlElement {
  return element(name, [typeof value === 'object' ? value : String(value)]);
}

/**
 * The declaration, a newline (S3 sends one), then the document element. Empty elements are
 * written as `<a></a>`, as S3 does, never `<a/>`.
 */
export function renderXml(root: XmlElement): string {
  return `${XML_DECLARATION}\n${serializeElement(root)}`;
}

/** Output written between two turns of the event loop by `renderXmlInSlices`. */
const SLICE_CHARS = 64 * 1024;

/**
 * `renderXml` for documents that can be large (a listing page of 1,000 URL-encoded 1 KB keys is
 * 3 MB of XML, 60-80 ms of CPU in one go): it gives the event loop a turn after every 64 K
 * characters written, so other requests are not stalled behind it.
 */
export async function renderXmlInSlices(root: XmlElement): Promise<string> {
  const pieces: string[] = [XML_DECLARATION, '\n'];
  let sinceTurn = 0;
  for (const piece of xmlPieces(root)) {
    pieces.push(piece);
    sinceTurn += piece.length;
    if (sinceTurn >= SLICE_CHARS) {
      sinceTurn = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return pieces.join('');
}

export function serializeElement(node: XmlElement): string {
  return [...xmlPieces(node)].join('');
}

/** The element's markup in document order: start tag, each child's pieces, end tag. */
function* xmlPieces(node: XmlElement): Generator<string> {
  assertXmlName(node.name);
  const names = Object.keys(node.attributes ?? {});
  const attributes = Object.entries(node.attributes ?? {})
    .map(([name, value]) => {
      assertAttributeName(name, names);
      return ` ${name}="${escapeXmlAttribute(value)}"`;
    })
    .join('');
  yield `<${node.name}${attributes}>`;
  for (const child of node.children) {
    if (typeof child === 'string') yield escapeXmlText(child);
    else if ('deferred' in child) yield escapeXmlText(child.deferred());
    else yield* xmlPieces(child);
  }
  yield `</${node.name}>`;
}

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF. S3 only makes such keys representable when
 * the client asks for encoding-type=url; otherwise a body containing them would not parse, so we
 * drop them (the client sees a slightly different key, instead of an unreadable response).
 */
const NOT_XML_1_0 = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text of only BMP characters XML allows: the common case, checked without the slower `u` flag. */
const PLAIN_XML_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

export function stripInvalidXmlChars(value: string): string {
  return PLAIN_XML_TEXT.test(value) ? value : value.replace(NOT_XML_1_0, '');
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a raw CR (or CRLF) into LF; a character reference survives, so keys
  // containing CR round-trip.
  '\r': '&#13;',
};

export function escapeXmlText(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  // Attribute-value normalization would turn these into spaces.
  '\t': '&#9;',
  '\n': '&#10;',
};

export function escapeXmlAttribute(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"'\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

/** ASCII-only subset of XML Name without ':' (an NCName): elements are never prefixed. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function assertXmlName(name: string): void {
  // Names starting with "xml" are reserved by the spec; xmlns is the one we need.
  const reserved = /^xml/i.test(name) && name !== 'xmlns';
  // A programming error, not a client error: surfaces as InternalError.
  if (!XML_NAME.test(name) || reserved) throw unsafeName(name);
}

/**
 * Attributes may also be prefixed, as ACL grantees need (`xmlns:xsi="…" xsi:type="Group"`): a
 * namespace declaration `xmlns:p`, or `p:name` where the same element declares `xmlns:p`, so
 * every document we write stays namespace-well-formed without tracking scopes across elements.
 */
function assertAttributeName(name: string, siblings: readonly string[]): void {
  const colon = name.indexOf(':');
  if (colon === -1) return assertXmlName(name);
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  const safeLocal = XML_NAME.test(local) && !/^xml/i.test(local);
  const declared = prefix === 'xmlns' || (XML_NAME.test(prefix) && !/^xml/i.test(prefix) && siblings.includes(`xmlns:${prefix}`));
  if (!safeLocal || !declared) throw unsafeName(name);
}

function unsafeName(name: string): Error {
  return new Error(`Not a safe XML name: ${JSON.stringify(name)}`);
}
