import { prefixUpperBound } from './id-ranges.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('prefixUpperBound', () => {
  it.each(['a', 'photos/', 'é', '\uFFFF', '😀', 'a\u{10FFFF}', '\uD7FF'])('bounds every key starting with %j', (prefix) => {
    const upper = prefixUpperBound(prefix)!;
    for (const suffix of ['', 'z', '\u{10FFFF}\u{10FFFF}', '😀', '\uFFFD']) {
      expect(Buffer.compare(utf8(prefix + suffix), utf8(upper))).toBe(-1);
    }
    expect(Buffer.compare(utf8(prefix), utf8(upper))).toBe(-1);
  });

  it('increments the last code point', () => {
    expect(prefixUpperBound('photos/')).toBe('photos0');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\uD7FF')).toBe('\uE000');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
  });
});
