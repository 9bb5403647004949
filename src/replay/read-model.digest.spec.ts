import { canonicalJson } from './read-model.digest.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, so field order never changes a digest', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"x":0,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('writes dates as ISO strings and keeps every value distinct', () => {
    expect(canonicalJson({ at: new Date('2026-11-27T10:00:00.000Z') })).toBe('{"at":"2026-11-27T10:00:00.000Z"}');
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });
});
