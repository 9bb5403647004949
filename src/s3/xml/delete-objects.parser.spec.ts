import { S3Error } from '../../errors/s3.error.js';
import { parseDeleteObjects } from './delete-objects.parser.js';

const codeOf = (xml: string): string => {
  try {
    parseDeleteObjects(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'parsed';
};

describe('parseDeleteObjects', () => {
  it('reads Quiet, keys (whitespace kept, entities decoded) and version ids', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Quiet>true</Quiet>
  <Object><Key> a&amp;b </Key></Object>
  <Object><Key>c</Key><VersionId>v1</VersionId></Object>
</Delete>`;
    expect(parseDeleteObjects(xml)).toEqual({ quiet: true, objects: [{ key: ' a&b ' }, { key: 'c', versionId: 'v1' }] });
  });

  it('defaults to verbose', () => {
    expect(parseDeleteObjects('<Delete><Object><Key>k</Key></Object></Delete>').quiet).toBe(false);
  });

  it('accepts exactly 1000 objects and refuses 1001', () => {
    const body = (n: number) => `<Delete>${'<Object><Key>k</Key></Object>'.repeat(n)}</Delete>`;
    expect(parseDeleteObjects(body(1000)).objects).toHaveLength(1000);
    expect(codeOf(body(1001))).toBe('MalformedXML');
  });

  it.each([
    ['empty body', ''],
    ['no objects', '<Delete><Quiet>false</Quiet></Delete>'],
    ['an empty key', '<Delete><Object><Key></Key></Object></Delete>'],
    ['an object without a key', '<Delete><Object><VersionId>v</VersionId></Object></Delete>'],
    ['two keys in one object', '<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>'],
    ['an unknown element', '<Delete><Object><Key>a</Key></Object><Bogus/></Delete>'],
    ['a bad Quiet', '<Delete><Quiet>yes</Quiet><Object><Key>a</Key></Object></Delete>'],
    ['another root', '<CreateBucketConfiguration/>'],
    ['two roots', '<Delete><Object><Key>a</Key></Object></Delete><Delete/>'],
    ['a DTD', '<!DOCTYPE Delete [<!ENTITY x "a">]><Delete><Object><Key>&x;</Key></Object></Delete>'],
    ['an undefined entity', '<Delete><Object><Key>&x;</Key></Object></Delete>'],
    ['a character XML cannot hold', '<Delete><Object><Key>&#0;</Key></Object></Delete>'],
    ['not XML', 'Delete a'],
  ])('refuses %s as MalformedXML', (_name, xml) => {
    expect(codeOf(xml)).toBe('MalformedXML');
  });

  it('refuses conditional-delete members as NotImplemented', () => {
    expect(codeOf('<Delete><Object><Key>a</Key><ETag>"x"</ETag></Object></Delete>')).toBe('NotImplemented');
  });

  it('refuses a body over 2 MiB as MaxMessageLengthExceeded', () => {
    expect(codeOf(`<Delete>${' '.repeat(2 * 1024 * 1024)}</Delete>`)).toBe('MaxMessageLengthExceeded');
  });
});
