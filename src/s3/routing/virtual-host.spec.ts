import { bucketFromHost, pathStyleRawPath } from './virtual-host.js';

const DOMAIN = 's3.example.local';

describe('bucketFromHost', () => {
  it.each<[string | undefined, string | undefined]>([
    ['photos.s3.example.local', 'photos'],
    ['photos.s3.example.local:9000', 'photos'],
    ['Photos.S3.Example.Local:9000', 'photos'],
    ['logs.2026.s3.example.local', 'logs.2026'],
    ['s3.example.local', undefined],
    ['s3.example.local:9000', undefined],
    ['127.0.0.1:9000', undefined],
    ['photos.other.example', undefined],
    ['photoss3.example.local', undefined],
    ['.s3.example.local', undefined],
    ['a..b.s3.example.local', undefined],
    ['[::1]:9000', undefined],
    [undefined, undefined],
  ])('Host %j addresses bucket %j', (host, bucket) => {
    expect(bucketFromHost(host, DOMAIN)).toBe(bucket);
  });

  it('is always path-style without a domain', () => {
    expect(bucketFromHost('photos.s3.example.local', '')).toBeUndefined();
    expect(bucketFromHost('photos.s3.example.local', undefined)).toBeUndefined();
  });
});

describe('pathStyleRawPath', () => {
  it.each<[string, string, string]>([
    ['photos.s3.example.local', '/', '/photos'],
    ['photos.s3.example.local', '/a/b.jpg', '/photos/a/b.jpg'],
    ['photos.s3.example.local', '//lead', '/photos//lead'],
    ['photos.s3.example.local', '/a%2Fb', '/photos/a%2Fb'],
    ['s3.example.local', '/photos/a', '/photos/a'],
    ['127.0.0.1:9000', '/photos/a', '/photos/a'],
    ['photos.s3.example.local', 'no-slash', 'no-slash'],
  ])('Host %j, path %j is %j', (host, rawPath, expected) => {
    expect(pathStyleRawPath(rawPath, host, DOMAIN)).toBe(expected);
  });
});
