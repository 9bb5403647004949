import { isWellFormedVersionId, newVersionId, NULL_VERSION_ID } from './object-version.js';

describe('newVersionId', () => {
  it('is 32 URL-safe characters that a command line cannot take for an option', () => {
    // One id in 64 would start with '-' if nothing prevented it: 10,000 would hold ~156.
    const ids = Array.from({ length: 10_000 }, () => newVersionId());
    for (const id of ids) expect(isWellFormedVersionId(id)).toBe(true);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("draws again when the random bytes would give a leading '-'", () => {
    const draws = [Buffer.alloc(24, 0xfb), Buffer.alloc(24, 0x41)];
    const id = newVersionId(() => draws.shift()!);
    expect(Buffer.alloc(24, 0xfb).toString('base64url')[0]).toBe('-');
    expect(id).toBe(Buffer.alloc(24, 0x41).toString('base64url'));
    expect(draws).toEqual([]);
  });
});

describe('isWellFormedVersionId', () => {
  it("accepts 'null' and ids issued before the rule, leading '-' included", () => {
    expect(isWellFormedVersionId(NULL_VERSION_ID)).toBe(true);
    expect(isWellFormedVersionId(`-${'a'.repeat(31)}`)).toBe(true);
    expect(isWellFormedVersionId('a'.repeat(31))).toBe(false);
  });
});
