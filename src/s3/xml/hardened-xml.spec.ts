import { S3Error } from '../../errors/s3.error.js';
import { MAX_DEPTH, parseHardenedDocument, XmlDocumentReader } from './hardened-xml.js';

const parse = (xml: string, root = 'R') => parseHardenedDocument(xml, 1024 * 1024, root);
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('parseHardenedDocument', () => {
  it('reads elements as text or as children by name, attributes and prefixes dropped', () => {
    expect(parse('<?xml version="1.0"?>\n<s3:R xmlns:s3="urn:x"><A k="v">1</A><A/><B><C>x &amp; y</C></B></s3:R>')).toEqual({
      A: ['1', ''],
      B: [{ C: ['x & y'] }],
    });
  });

  it('keeps text beside children under #text, and CDATA as text', () => {
    expect(parse('<R>\n  <A><![CDATA[<raw>]]></A>\n</R>')).toEqual({ A: ['<raw>'], '#text': '\n  \n' });
  });

  it('drops a leading BOM', () => {
    expect(parse('\uFEFF<R>x</R>')).toBe('x');
  });

  it.each([
    ['a raw NUL', '<R>a\u0000b</R>'],
    ['a NUL reference', '<R>&#0;</R>'],
    ['a C0 control', '<R>\u0001</R>'],
    ['U+FFFE', '<R>\uFFFE</R>'],
    ['a raw lone surrogate', '<R>a\ud800b</R>'],
    ['a lone surrogate reference', '<R>&#xDC00;</R>'],
    ['an undefined entity', '<R>&nbsp;</R>'],
    ['a DTD', '<!DOCTYPE R [<!ENTITY e "x">]><R>&e;</R>'],
    ['two roots', '<R/><R/>'],
    ['text outside the root', '<R/>x'],
    ['another root', '<Other/>'],
    ['an unclosed element', '<R><A></R>'],
    ['a lone surrogate at the end of a comment (saxes throws a RangeError)', '<!--<!--\ud800'],
    ['nesting deeper than the limit', `<R>${'<a>'.repeat(MAX_DEPTH)}${'</a>'.repeat(MAX_DEPTH)}</R>`],
  ])('refuses %s with MalformedXML', (_why, xml) => {
    expect(codeOf(() => parse(xml))).toBe('MalformedXML');
  });

  it('takes element names like __proto__ and constructor as plain names', () => {
    const root = parse('<R><__proto__>a</__proto__><constructor>b</constructor><constructor>c</constructor></R>') as object;
    expect(Object.entries(root)).toEqual([
      ['__proto__', ['a']],
      ['constructor', ['b', 'c']],
    ]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('refuses a document over the limit with MaxMessageLengthExceeded', () => {
    expect(codeOf(() => parseHardenedDocument(`<R>${'x'.repeat(100)}</R>`, 50, 'R'))).toBe('MaxMessageLengthExceeded');
  });
});

describe('XmlDocumentReader', () => {
  it('reads a document fed in slices that split names, references and surrogate pairs', () => {
    const xml = '<R><Key>caf&#233; 😀 &amp;</Key></R>';
    const reader = new XmlDocumentReader('R');
    for (const char of xml.split('')) reader.write(char);
    expect(reader.close()).toEqual({ Key: ['café 😀 &'] });
  });

  it('runs a child reader as each child of the root closes', () => {
    const seen: unknown[] = [];
    const reader = new XmlDocumentReader('R', { Part: (value) => (seen.push(value), `read:${String((value as { N: string[] }).N[0])}`) });
    reader.write('<R><Part><N>1</N></Part>');
    expect(seen).toEqual([{ N: ['1'] }]);
    reader.write('<Part><N>2</N></Part><Other>x</Other></R>');
    expect(reader.close()).toEqual({ Part: ['read:1', 'read:2'], Other: ['x'] });
  });
});
