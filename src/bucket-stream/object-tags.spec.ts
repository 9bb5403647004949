import { S3Error } from '../errors/s3.error.js';
import { assertValidTagSet, parseTaggingHeader, type ObjectTag } from './object-tags.js';

function rejection(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an S3Error');
}

const tags = (n: number): ObjectTag[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

describe('object tag rules', () => {
  it('accepts 10 tags, a 128-character key and a 256-character value, and an empty value', () => {
    expect(() => assertValidTagSet(tags(10))).not.toThrow();
    expect(() => assertValidTagSet([{ key: 'k'.repeat(128), value: 'v'.repeat(256) }, { key: 'empty', value: '' }])).not.toThrow();
    expect(() => assertValidTagSet([])).not.toThrow();
  });

  it('counts UTF-16 code units, as S3 does', () => {
    expect(() => assertValidTagSet([{ key: 'é'.repeat(128), value: '' }])).not.toThrow();
    // 😀 is two UTF-16 code units: 65 of them are 130.
    expect(rejection(() => assertValidTagSet([{ key: '😀'.repeat(65), value: '' }])).code).toBe('InvalidTag');
  });

  it.each<[string, ObjectTag[], string, string]>([
    ['11 tags', tags(11), 'BadRequest', 'Object tags cannot be greater than 10'],
    ['a 129-character key', [{ key: 'k'.repeat(129), value: '' }], 'InvalidTag', 'The TagKey you have provided is too long, max 128'],
    ['a 257-character value', [{ key: 'k', value: 'v'.repeat(257) }], 'InvalidTag', 'The TagValue you have provided is too long, max 256'],
    ['an empty key', [{ key: '', value: 'v' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
    ['a key with a character outside the set', [{ key: 'a,b', value: 'v' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
    ['a value with a character outside the set', [{ key: 'k', value: '[v]' }], 'InvalidTag', 'The TagValue you have provided is invalid'],
    ['an aws: key', [{ key: 'aws:cloudformation', value: 'v' }], 'InvalidTag', 'Your TagKey cannot be prefixed with aws:'],
    ['a key given twice', [{ key: 'k', value: '1' }, { key: 'k', value: '2' }], 'InvalidTag', 'Cannot provide multiple Tags with the same key'],
  ])('refuses %s', (_label, set, code, message) => {
    expect(rejection(() => assertValidTagSet(set))).toEqual({ code, message });
  });

  it('allows letters and numbers of any script, white space and _ . : / = + @ -', () => {
    expect(() => assertValidTagSet([{ key: 'Prøject 名前 ١٢', value: 'a_b.c:d/e=f+g@h-i' }])).not.toThrow();
  });
});

describe('x-amz-tagging', () => {
  it('reads URL query parameters, decoding escapes and + as a space', () => {
    expect(parseTaggingHeader('project=blue&cost%20centre=a%2Bb+c&caf%C3%A9=%C3%A9t%C3%A9')).toEqual([
      { key: 'project', value: 'blue' },
      { key: 'cost centre', value: 'a+b c' },
      { key: 'café', value: 'été' },
    ]);
  });

  it('reads a name without = as the empty value, and an empty header as no tags', () => {
    expect(parseTaggingHeader('foo=bar&bar')).toEqual([
      { key: 'foo', value: 'bar' },
      { key: 'bar', value: '' },
    ]);
    expect(parseTaggingHeader('')).toEqual([]);
  });

  it.each(['a=1&a=2', 'TagSet=[{Key=string,Value=string}]', 'k=%E0%A4%A'])('refuses %s as InvalidArgument', (header) => {
    expect(rejection(() => parseTaggingHeader(header))).toEqual({
      code: 'InvalidArgument',
      message: "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
    });
  });

  it('applies the tag rules', () => {
    expect(rejection(() => parseTaggingHeader(tags(11).map((t) => `${t.key}=${t.value}`).join('&'))).code).toBe('BadRequest');
    expect(rejection(() => parseTaggingHeader('TagSet%3D%5B%7BKey%3Dstring%7D%5D')).code).toBe('InvalidTag');
  });
});
