import { timeOrderedUploadId } from './upload-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUploadId', () => {
  it('is a version 7 UUID whose first 48 bits are the initiation time in milliseconds', () => {
    const at = new Date('2026-11-27T21:40:00.123Z');
    const id = timeOrderedUploadId(at, Buffer.alloc(10, 0xff));
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
    expect(id).toBe(`${at.getTime().toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7fff-bfff-ffffffffffff`);
  });

  it('sorts as strings in initiation order, whatever the random bits', () => {
    const times = [0, 1, 999, 1_000, 1_700_000_000_000, 1_800_000_000_001].map((ms) => new Date(ms));
    const ids = times.map((at, i) => timeOrderedUploadId(at, Buffer.alloc(10, i % 2 ? 0xff : 0x00)));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs for uploads initiated in the same millisecond', () => {
    const at = new Date();
    expect(new Set(Array.from({ length: 100 }, () => timeOrderedUploadId(at))).size).toBe(100);
  });
});
