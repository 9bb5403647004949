import { canonicalJson, DigestLedger, documentHash, MODULUS } from './digest-ledger.js';

describe('DigestLedger', () => {
  const doc = (key: string, offset: number) => ({ _id: `b/${key}`, key, offset, partition: 0, at: new Date('2026-12-07T00:00:00.000Z') });

  it('keeps the sum of the documents a partition holds, whatever order they came and went in', () => {
    const ledger = new DigestLedger();
    ledger.record('objects', null, doc('a', 1));
    ledger.record('objects', null, doc('b', 2));
    ledger.record('objects', doc('a', 1), doc('a', 3));
    ledger.record('objects', doc('b', 2), null);
    const expected = documentHash('objects', doc('a', 3));
    expect(ledger.totals().objects).toEqual({ sum: expected, count: 1 });
  });

  it('wraps modulo 2^256 both ways, so taking a document away undoes adding it', () => {
    const ledger = new DigestLedger();
    ledger.record('objects', doc('a', 1), null);
    expect(ledger.totals().objects.sum).toBe(MODULUS - documentHash('objects', doc('a', 1)));
    ledger.record('objects', null, doc('a', 1));
    expect(ledger.totals().objects).toEqual({ sum: 0n, count: 0 });
  });

  it('hashes the canonical JSON, so field order and undefined fields never change a sum', () => {
    expect(documentHash('objects', { b: 1, a: [{ y: 2, x: undefined }] })).toBe(documentHash('objects', { a: [{ y: 2 }], b: 1 }));
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined }, undefined] })).toBe('{"a":[{"y":2},null],"b":1}');
    expect(documentHash('objects', { a: 1 })).not.toBe(documentHash('versions', { a: 1 }));
  });
});
