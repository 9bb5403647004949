import { randomBytes } from 'node:crypto';
import { canonicalJson, DigestLedger, documentDigest, MODULUS, Sum256 } from './digest-ledger.js';

/** A document's digest as a number, as the ledger's sums are read. */
const documentHash = (collection: string, doc: object): bigint => BigInt(`0x${documentDigest(collection, doc).toString('hex')}`);

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

  it('writes numbers, booleans, dates and strings exactly as JSON.stringify does', () => {
    const values = [0, -0, 1.5, -7, 1e21, 2 ** 53, NaN, Infinity, true, false, 'a"\\\n\u0001é', new Date('2026-12-08T03:00:00.123Z')];
    for (const value of values) expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(canonicalJson({ n: NaN, t: true })).toBe('{"n":null,"t":true}');
  });
});

describe('Sum256', () => {
  const asBigInt = (digest: Buffer) => BigInt(`0x${digest.toString('hex')}`);

  it('adds and subtracts 32-byte digests modulo 2^256, as bigint arithmetic does', () => {
    const sum = Sum256.of(MODULUS - 5n);
    let expected = MODULUS - 5n;
    for (let i = 0; i < 200; i++) {
      const digest = i % 7 === 0 ? Buffer.alloc(32, 0xff) : randomBytes(32);
      if (i % 3 === 0) {
        sum.sub(digest);
        expected = BigInt.asUintN(256, expected - asBigInt(digest));
      } else {
        sum.add(digest);
        expected = BigInt.asUintN(256, expected + asBigInt(digest));
      }
      expect(sum.toBigInt()).toBe(expected);
    }
  });

  it('carries across every word, and adds whole sums', () => {
    const sum = Sum256.of(MODULUS - 1n);
    sum.add(Buffer.from(`${'00'.repeat(31)}01`, 'hex'));
    expect(sum.toBigInt()).toBe(0n);
    sum.sub(Buffer.from(`${'00'.repeat(31)}01`, 'hex'));
    expect(sum.toBigInt()).toBe(MODULUS - 1n);
    const other = Sum256.of(2n);
    sum.addSum(other);
    expect(sum.toBigInt()).toBe(1n);
  });

  it('holds the digest documentHash names', () => {
    const digest = documentDigest('objects', { a: 1 });
    expect(asBigInt(digest)).toBe(documentHash('objects', { a: 1 }));
    const sum = new Sum256();
    sum.add(digest);
    expect(sum.toBigInt()).toBe(documentHash('objects', { a: 1 }));
  });
});
