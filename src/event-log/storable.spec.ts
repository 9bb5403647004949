import fc from 'fast-check';
import { assertStorable, findUnstorable, MAX_STORABLE_DEPTH, UnstorableEventError } from './storable.js';

/** Strings over all of UTF-16, lone surrogates and NUL included. */
const anyString = fc.string({ unit: 'binary', maxLength: 12 });
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,5}$/), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('findUnstorable', () => {
  it('accepts what every Sediment event is made of', () => {
    const event = {
      id: 'e1',
      data: { key: 'photos/2026/😀 ü.jpg', size: 12, tags: [{ key: 'a', value: '' }], replacedObjectId: undefined, gone: null, ok: true },
    };
    expect(findUnstorable(event)).toBeUndefined();
  });

  it.each([
    ['a NUL in a string', { data: { key: 'x\u0000y' } }, 'data.key', 'contains U+0000 (NUL)'],
    ['a lone high surrogate', { data: { tags: [{ key: 'k', value: 'a\ud800' }] } }, 'data.tags[0].value', 'contains a lone UTF-16 surrogate (not valid Unicode)'],
    ['a lone low surrogate', { data: { key: '\udc00b' } }, 'data.key', 'contains a lone UTF-16 surrogate (not valid Unicode)'],
    ['NaN', { data: { size: Number.NaN } }, 'data.size', 'NaN is not a JSON number'],
    ['Infinity', { data: { size: Infinity } }, 'data.size', 'Infinity is not a JSON number'],
    ['a field name with a dot', { data: { 'a.b': 1 } }, 'data.a.b', 'a field name contains .'],
    ['a field name starting with $', { data: { $where: 1 } }, 'data.$where', 'a field name starts with $'],
    ['a Date', { data: { at: new Date(0) } }, 'data.at', 'not a plain JSON object'],
    ['undefined in an array', { data: { parts: [1, undefined] } }, 'data.parts[1]', 'a undefined is not JSON'],
    ['a bigint', { data: { size: 1n } }, 'data.size', 'a bigint is not JSON'],
  ])('refuses %s, naming where', (_name, value, path, reason) => {
    expect(findUnstorable(value)).toEqual({ path, reason });
  });

  it('bounds nesting', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i <= MAX_STORABLE_DEPTH; i++) deep = [deep];
    expect(findUnstorable(deep)?.reason).toBe(`nested deeper than ${MAX_STORABLE_DEPTH} levels`);
  });

  it('keeps a surrogate pair, which is one valid code point', () => {
    expect(findUnstorable({ key: '\ud83d\ude00' })).toBeUndefined();
  });

  it('accepts exactly the values whose JSON survives UTF-8 and has no NUL', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const json = JSON.stringify(value);
        const survives = Buffer.from(json, 'utf8').toString('utf8') === json && !json.includes('\\u0000');
        expect(findUnstorable(value) === undefined).toBe(survives);
      }),
    );
  });

  it('finds a NUL wherever it is put', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: 1, maxLength: 5 }), fc.nat(), (strings, at) => {
        const i = at % strings.length;
        const values = strings.map((s, j) => (j === i ? `${s}\u0000` : s));
        expect(findUnstorable({ data: { values } })).toEqual({ path: `data.values[${i}]`, reason: 'contains U+0000 (NUL)' });
      }),
    );
  });
});

describe('assertStorable', () => {
  it('throws an error naming the event type and the place', () => {
    expect(() => assertStorable('ObjectStored', { data: { key: 'a\u0000' } })).toThrow(
      new UnstorableEventError('ObjectStored', { path: 'data.key', reason: 'contains U+0000 (NUL)' }),
    );
  });
});
