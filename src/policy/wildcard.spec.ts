import fc from 'fast-check';
import { wildcardMatches } from './wildcard.js';

/**
 * The RegExp translation the matcher replaces: right on every input, only too slow on some
 * (exponential backtracking), so it is the reference on short ones.
 */
function reference(pattern: string, text: string, options: { ignoreCase?: boolean; context?: Record<string, string> } = {}) {
  const literal = (s: string) => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  const glob = (s: string) => [...s].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : literal(c))).join('');
  let source = '';
  let last = 0;
  if (options.context) {
    for (const m of pattern.matchAll(/\$\{([^}]*)\}/g)) {
      const name = m[1]!;
      const value = name === '*' || name === '?' || name === '$' ? name : options.context[name.trim()];
      if (value === undefined) return undefined;
      source += glob(pattern.slice(last, m.index)) + literal(value);
      last = m.index + m[0].length;
    }
  }
  source += glob(pattern.slice(last));
  // No `u` flag: `.` is one UTF-16 code unit, as `?` is for the matcher.
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(text);
}

const resolverOf = (context: Record<string, string>) => (name: string) =>
  name === '*' || name === '?' || name === '$' ? name : context[name.trim()];

const over = (alphabet: string[], maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength }).map((cs) => cs.join(''));

describe('wildcardMatches', () => {
  it.each([
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything/at/all', true],
    ['**', 'x', true],
    ['a*', 'a', true],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*.jpg', 'x.jpg', true],
    ['*.jpg', 'xjpg', false],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'acb', false],
    ['*ab*ab*', 'abab', true],
    ['*ab*ab*', 'aba', false],
    ['arn:aws:s3:::B/*/*/*/*.jpg', 'arn:aws:s3:::B/1/2/3/4.jpg', true],
    ['arn:aws:s3:::B/*/*/*/*.jpg', 'arn:aws:s3:::B///.jpg', false],
    ['arn:aws:s3:::B/*/*/*/*.jpg', 'arn:aws:s3:::B////.jpg', true],
    ['?', '\ud83d\ude00', false], // `?` is one UTF-16 code unit, as the RegExp's `.` was
    ['??', '\ud83d\ude00', true],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(wildcardMatches(pattern, text)).toBe(expected);
    expect(reference(pattern, text)).toBe(expected);
  });

  it('finds a middle segment across 32-position words, with `?` inside it', () => {
    const text = `${'x'.repeat(61)}ab${'y'.repeat(70)}a-c${'z'.repeat(5)}`;
    expect(wildcardMatches('*a?c*', text)).toBe(true);
    expect(wildcardMatches('*a?c*', text.replace('a-c', 'a-d'))).toBe(false);
    expect(wildcardMatches(`*${'y'.repeat(64)}*`, text)).toBe(true);
    expect(wildcardMatches(`*${'y'.repeat(71)}*`, text)).toBe(false);
  });

  it('finds a segment at every start, also where it straddles two words', () => {
    for (let start = 0; start < 100; start++) {
      const text = `${'x'.repeat(start)}abcd${'x'.repeat(40)}`;
      for (const pattern of ['*abcd*', '*a??d*', '*?bc?*', '*bcd*x', `${'x'.repeat(start)}*cd*`]) {
        expect([start, pattern, wildcardMatches(pattern, text)]).toEqual([start, pattern, true]);
      }
      expect([start, wildcardMatches('*abce*', text)]).toEqual([start, false]);
    }
  });

  it('agrees with the RegExp on a segment planted anywhere in filler', () => {
    fc.assert(
      fc.property(fc.nat(150), over(['a', 'b', 'c'], 40), over(['x', '?'], 40), fc.nat(40), (at, segment, masks, filler) => {
        const text = `${'x'.repeat(at)}${segment}${'x'.repeat(filler)}`;
        const masked = [...segment].map((c, i) => (masks[i] === '?' ? '?' : c)).join('');
        const pattern = `*${masked}*`;
        expect(wildcardMatches(pattern, text)).toBe(true);
        expect(wildcardMatches(`*${masked}z*`, text)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('folds ASCII case only when asked', () => {
    expect(wildcardMatches('s3:Get*', 's3:getobject', { ignoreCase: true })).toBe(true);
    expect(wildcardMatches('S3:*OBJECT', 's3:GetObject', { ignoreCase: true })).toBe(true);
    expect(wildcardMatches('s3:Get*', 's3:getobject')).toBe(false);
  });

  it('substitutes variables as literal text, and leaves ${…} as pattern text without a resolver', () => {
    const resolve = resolverOf({ 'aws:username': '*?' });
    expect(wildcardMatches('home/${aws:username}/*', 'home/*?/x', { resolve })).toBe(true);
    expect(wildcardMatches('home/${aws:username}/*', 'home/ab/x', { resolve })).toBe(false);
    expect(wildcardMatches('home/${aws:missing}/*', 'home/ab/x', { resolve })).toBeUndefined();
    expect(wildcardMatches('home/${*}', 'home/${anything}')).toBe(true);
    expect(wildcardMatches('home/${*}', 'home/${x}', { resolve })).toBe(false);
  });

  it('agrees with the RegExp translation on short patterns and texts', () => {
    const alphabet = ['a', 'b', '/', '.', '*', '?'];
    fc.assert(
      fc.property(over(alphabet, 10), over(['a', 'b', '/', '.', '*', '?', '\n'], 14), (pattern, text) => {
        expect(wildcardMatches(pattern, text)).toBe(reference(pattern, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with it on texts that cross several 32-position words', () => {
    fc.assert(
      fc.property(over(['a', 'b', '*', '?'], 12), over(['a', 'b'], 120), (pattern, text) => {
        expect(wildcardMatches(pattern, text)).toBe(reference(pattern, text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with it ignoring case, over ASCII letters', () => {
    fc.assert(
      fc.property(over(['a', 'A', 'b', 'B', '*', '?', ':'], 10), over(['a', 'A', 'b', 'B', ':'], 14), (pattern, text) => {
        expect(wildcardMatches(pattern, text, { ignoreCase: true })).toBe(reference(pattern, text, { ignoreCase: true }));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with it with policy variables, whose values hold wildcard characters', () => {
    const value = over(['a', '*', '?', '$', '}'], 4);
    fc.assert(
      fc.property(over(['a', '*', '?', '$', '{', '}', '${x}', '${y}', '${*}', '${?}'], 8), over(['a', '*', '?', '$', '{', '}'], 12), value, (pattern, text, x) => {
        const context = { x };
        expect(wildcardMatches(pattern, text, { resolve: resolverOf(context) })).toBe(reference(pattern, text, { context }));
      }),
      { numRuns: 3000 },
    );
  });
});
