import { Binary } from 'mongodb';
import { packDocument, PACKED_FIELD, unpackDocument } from './packed-collection.js';

describe('packed documents', () => {
  const doc = {
    _id: 'photos/a.jpg',
    objectId: 'o-1',
    parts: [{ partNumber: 1, objectId: 'p-1', size: 5 }],
    key: 'a.jpg',
    size: 2 ** 40,
    lastModified: new Date('2026-12-08T00:00:00.123Z'),
    userMetadata: [{ name: 'x-amz-meta-a', value: 'é' }],
    tags: [{ key: 'k', value: 'v' }],
    partition: 3,
    offset: 17,
  };

  it('keeps `_id` and the named fields as fields, and packs the rest into one binary', () => {
    const stored = packDocument(doc, new Set(['objectId', 'parts']));
    expect(Object.keys(stored).sort()).toEqual(['_id', 'm', 'objectId', 'parts']);
    expect(stored[PACKED_FIELD]).toBeInstanceOf(Binary);
    expect(stored.parts).toEqual(doc.parts);
  });

  it('gives back every value with its type: dates, large numbers, arrays, nested documents', () => {
    expect(unpackDocument(packDocument(doc, new Set(['objectId'])))).toEqual(doc);
  });

  it('stores an undefined field as null, as the driver writes one', () => {
    expect(unpackDocument(packDocument({ _id: 'x', storageClass: undefined }, new Set()))).toEqual({ _id: 'x', storageClass: null });
  });

  it('reads a document stored without the packed field as it is', () => {
    const folder = { _id: 'photos/0000/a/', key: 'a/', folder: true };
    expect(unpackDocument(folder)).toBe(folder);
  });
});
