import { S3Error } from '../../../errors/s3.error.js';
import { pageUploads, parseMaxUploads, type ListedUpload, type ListUploadsParams } from './list-uploads.paginator.js';

let clock = 0;
/** Uploads initiated one second apart, in the order given. */
const upload = (key: string, id: string): ListedUpload => ({ _id: id, key, initiatedAt: new Date(Date.UTC(2026, 10, 27) + ++clock * 1000) });
const params = (overrides: Partial<ListUploadsParams> = {}): ListUploadsParams => ({
  prefix: '',
  keyMarker: '',
  uploadIdMarker: '',
  maxUploads: 1000,
  ...overrides,
});
const ids = (uploads: ListedUpload[]) => uploads.map((u) => u._id);

describe('pageUploads', () => {
  // Ids in initiation order, as timeOrderedUploadId makes them.
  const b1 = upload('b', 'u1-first');
  const a = upload('a', 'a');
  const b2 = upload('b', 'u3-second');
  const photo1 = upload('photos/2026/one.jpg', 'p1');
  const photo2 = upload('photos/two.jpg', 'p2');
  const video = upload('videos/x.mp4', 'v1');
  const astral = upload('\u{1F600}', 'astral'); // UTF-8 F0…, after U+FFFD; UTF-16 would put it before
  const bmpHigh = upload('\uFFFD', 'bmp-high');
  const all = [video, photo2, b2, astral, a, photo1, bmpHigh, b1];

  it('orders by key in UTF-8 byte order, then by initiation time', () => {
    expect(ids(pageUploads(all, params()).uploads)).toEqual(['a', 'u1-first', 'u3-second', 'p1', 'p2', 'v1', 'bmp-high', 'astral']);
    // Ids from before time-ordered ids (random UUIDs): initiation time still decides.
    const later = upload('k', '0-later-but-smaller-id');
    expect(ids(pageUploads([later, upload('k', 'f-even-later')], params()).uploads)).toEqual(['0-later-but-smaller-id', 'f-even-later']);
  });

  it('keeps only keys under the prefix', () => {
    expect(ids(pageUploads(all, params({ prefix: 'photos/' })).uploads)).toEqual(['p1', 'p2']);
  });

  it('groups keys by delimiter into common prefixes, each counted once toward max-uploads', () => {
    const page = pageUploads(all, params({ delimiter: '/' }));
    expect(ids(page.uploads)).toEqual(['a', 'u1-first', 'u3-second', 'bmp-high', 'astral']);
    expect(page.commonPrefixes).toEqual(['photos/', 'videos/']);
    const nested = pageUploads(all, params({ delimiter: '/', prefix: 'photos/' }));
    expect({ uploads: ids(nested.uploads), prefixes: nested.commonPrefixes }).toEqual({ uploads: ['p2'], prefixes: ['photos/2026/'] });
  });

  it('pages with NextKeyMarker/NextUploadIdMarker, inside one key and across common prefixes', () => {
    const seen: string[] = [];
    let marker = { keyMarker: '', uploadIdMarker: '' };
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = pageUploads(all, params({ delimiter: '/', maxUploads: 2, ...marker }));
      seen.push(...ids(page.uploads), ...page.commonPrefixes);
      if (!page.isTruncated) break;
      marker = { keyMarker: page.nextKeyMarker, uploadIdMarker: page.nextUploadIdMarker };
    }
    // Each upload and each common prefix exactly once (a page lists its uploads before its prefixes).
    expect(seen.sort()).toEqual(['a', 'u1-first', 'u3-second', 'photos/', 'videos/', 'bmp-high', 'astral'].sort());
  });

  it('reports the last entry as the next markers, a common prefix with an empty upload id', () => {
    const first = pageUploads(all, params({ maxUploads: 2 }));
    expect(first).toMatchObject({ isTruncated: true, nextKeyMarker: 'b', nextUploadIdMarker: 'u1-first' });
    const grouped = pageUploads(all, params({ delimiter: '/', keyMarker: 'b', uploadIdMarker: 'u3-second', maxUploads: 1 }));
    expect(grouped).toMatchObject({ uploads: [], commonPrefixes: ['photos/'], isTruncated: true, nextKeyMarker: 'photos/', nextUploadIdMarker: '' });
    const last = pageUploads(all, params({ keyMarker: '\uFFFD' }));
    expect(last).toMatchObject({ isTruncated: false, nextKeyMarker: '\u{1F600}', nextUploadIdMarker: 'astral' });
    expect(pageUploads([], params())).toMatchObject({ isTruncated: false, nextKeyMarker: '', nextUploadIdMarker: '' });
  });

  it('resumes after key-marker alone with the keys after it, skipping all of its own uploads', () => {
    expect(ids(pageUploads(all, params({ keyMarker: 'b' })).uploads)).toEqual(['p1', 'p2', 'v1', 'bmp-high', 'astral']);
    expect(ids(pageUploads(all, params({ keyMarker: 'aa' })).uploads)[0]).toBe('u1-first');
  });

  it('with upload-id-marker, also lists the uploads of key-marker initiated after that upload', () => {
    expect(ids(pageUploads(all, params({ keyMarker: 'b', uploadIdMarker: 'u1-first' })).uploads).slice(0, 2)).toEqual(['u3-second', 'p1']);
  });

  it('ignores upload-id-marker without key-marker', () => {
    expect(ids(pageUploads(all, params({ uploadIdMarker: 'u3-second' })).uploads)).toHaveLength(all.length);
  });

  it('places an upload-id-marker whose upload is gone (completed since) by id', () => {
    expect(ids(pageUploads(all, params({ keyMarker: 'b', uploadIdMarker: 'u2-completed' })).uploads)[0]).toBe('u3-second');
    expect(ids(pageUploads(all, params({ keyMarker: 'b', uploadIdMarker: 'u0' })).uploads).slice(0, 2)).toEqual(['u1-first', 'u3-second']);
    expect(ids(pageUploads(all, params({ keyMarker: 'b', uploadIdMarker: 'u9' })).uploads)[0]).toBe('p1');
  });

  it('returns nothing, not truncated, for max-uploads=0', () => {
    expect(pageUploads(all, params({ maxUploads: 0 }))).toMatchObject({ uploads: [], commonPrefixes: [], isTruncated: false });
  });
});

describe('parseMaxUploads', () => {
  it('defaults to 1000 and caps at 1000', () => {
    expect(parseMaxUploads(null)).toBe(1000);
    expect(parseMaxUploads('1001')).toBe(1000);
    expect(parseMaxUploads('2147483647')).toBe(1000);
    expect(parseMaxUploads('3')).toBe(3);
    expect(Object.is(parseMaxUploads('-0'), 0)).toBe(true);
  });

  it.each(['abc', '', '1.5', '2147483648', '-1'])('rejects %j with InvalidArgument', (raw) => {
    let error: unknown;
    try {
      parseMaxUploads(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(S3Error);
    expect((error as S3Error).code).toBe('InvalidArgument');
  });
});
