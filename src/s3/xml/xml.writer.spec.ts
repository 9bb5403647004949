import { parseHardenedDocument } from './hardened-xml.js';
import { deferredText, element, escapeXmlText, renderXml, renderXmlInSlices, serializeElement, stripInvalidXmlChars, textElement } from './xml.writer.js';

describe('xml.writer', () => {
  it('renders the declaration, a newline and the tree, empty elements as open/close pairs', () => {
    const xml = renderXml(element('Root', [textElement('A', 'x'), element('Empty'), textElement('N', 10), textElement('B', false)], { xmlns: 'urn:x' }));
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Root xmlns="urn:x"><A>x</A><Empty></Empty><N>10</N><B>false</B></Root>');
  });

  it('escapes the five XML metacharacters in text', () => {
    expect(escapeXmlText(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(serializeElement(textElement('K', '</K><Injected>'))).toBe('<K>&lt;/K&gt;&lt;Injected&gt;</K>');
  });

  it('escapes attribute values including whitespace that normalization would eat', () => {
    expect(serializeElement(element('E', [], { a: '"<&>\'\t\n\r' }))).toBe('<E a="&quot;&lt;&amp;&gt;&apos;&#9;&#10;&#13;"></E>');
  });

  it('keeps CR as a character reference so it survives parsing', () => {
    expect(escapeXmlText('a\r\nb')).toBe('a&#13;\nb');
  });

  it('strips characters XML 1.0 cannot represent', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi')).toBe('abcdefghi');
    expect(stripInvalidXmlChars('lone \uD800 high, lone \uDC00 low')).toBe('lone  high, lone  low');
    const kept = 'tab\tlf\ncr\r é \uD7FF \uE000 \uFFFD 😀 \u{10FFFF}';
    expect(stripInvalidXmlChars(kept)).toBe(kept);
  });

  it('produces documents a parser reads back to the same text', () => {
    const value = `a&b<c>"d'e\r\nf\tg é 😀 \uE000`;
    const xml = renderXml(element('R', [textElement('V', value)]));
    expect(parseHardenedDocument(xml, 1024, 'R')).toEqual({ V: [value] });
  });

  it('writes prefixed attributes whose prefix the element declares', () => {
    const xsi = 'http://www.w3.org/2001/XMLSchema-instance';
    expect(serializeElement(element('Grantee', [], { 'xmlns:xsi': xsi, 'xsi:type': 'Group' }))).toBe(
      `<Grantee xmlns:xsi="${xsi}" xsi:type="Group"></Grantee>`,
    );
  });

  it.each([
    ['an undeclared prefix', { 'xsi:type': 'Group' }],
    ['a prefix declared under another name', { 'xmlns:xs': 'urn:x', 'xsi:type': 'Group' }],
    ['an empty local name', { 'xmlns:xsi': 'urn:x', 'xsi:': 'v' }],
    ['an empty prefix', { ':type': 'v' }],
    ['two colons', { 'xmlns:a': 'urn:x', 'a:b:c': 'v' }],
    ['a reserved prefix', { 'xmlns:xmlfoo': 'urn:x' }],
    ['the xml prefix', { 'xml:lang': 'en' }],
    ['a declaration with an unsafe name', { 'xmlns:a b': 'urn:x' }],
  ])('refuses a prefixed attribute with %s', (_name, attributes) => {
    expect(() => serializeElement(element('E', [], attributes))).toThrow('Not a safe XML name');
  });

  it('never allows a prefixed element name', () => {
    expect(() => serializeElement(element('xsi:Grantee', [], { 'xmlns:xsi': 'urn:x' }))).toThrow('Not a safe XML name');
  });

  it.each(['', '1a', 'a b', 'a<b', 'a"b', 'x:y', 'xmlThing', 'XML'])('refuses the unsafe element name %j', (name) => {
    expect(() => serializeElement(element(name))).toThrow('Not a safe XML name');
    expect(() => serializeElement(element('E', [], { [name]: 'v' }))).toThrow('Not a safe XML name');
  });
});

describe('renderXmlInSlices', () => {
  const page = element(
    'ListBucketResult',
    Array.from({ length: 1000 }, (_, i) => element('Contents', [textElement('Key', deferredText(() => `${i}-${'é<'.repeat(200)}`)), textElement('Size', i)])),
  );

  it('writes exactly what renderXml writes, deferred text escaped like any text', async () => {
    const xml = await renderXmlInSlices(page);
    expect(xml).toBe(renderXml(page));
    expect(xml).toContain(`<Key>7-${'é&lt;'.repeat(200)}</Key>`);
  });

  it('lets other callbacks run while a large document is written', async () => {
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await renderXmlInSlices(page);
    counting = false;
    // About 1 MB of markup is 16 slices of 64 K characters, with a turn after each; written in
    // one go, `count` would not have run at all.
    expect(turns).toBeGreaterThanOrEqual(10);
  });
});
