import { S3Error } from '../../errors/s3.error.js';
import type { S3ErrorCode } from '../../errors/s3-error-catalogue.js';
import { routeS3Request, type RoutedRequest } from './s3.router.js';

/** SEDIMENT_DOMAIN in these tests: `Host: <bucket>.s3.example.local` is virtual-hosted style. */
const DOMAIN = 's3.example.local';

/**
 * Splits a request target the way an HTTP server hands it over: raw path + parsed query, with
 * the Host header (path-style when absent or equal to the domain).
 */
function route(method: string, target: string, host?: string, copySource = false): RoutedRequest {
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
  return routeS3Request({ method, rawPath, query, copySource, ...(host !== undefined ? { host } : {}) }, { domain: DOMAIN });
}

/**
 * A path-style target as a virtual-hosted-style client sends it: `/bucket/key?q` becomes
 * `Host: bucket.<domain>:9000` with `/key?q`; `/bucket` becomes `/`; the service itself is
 * addressed at the bare domain.
 */
function virtualHosted(target: string): { host: string; target: string } {
  const match = /^\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(target);
  if (match === null) return { host: `${DOMAIN}:9000`, target };
  const [, bucket, path, query] = match;
  return { host: `${bucket}.${DOMAIN}:9000`, target: `${path ?? '/'}${query ?? ''}` };
}

function errorOf(method: string, target: string): S3Error {
  try {
    route(method, target);
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error(`${method} ${target} was routed, expected an S3Error`);
}

describe('routeS3Request', () => {
  // The request examples of each operation's page in the AWS S3 API reference, rewritten from
  // virtual-hosted style (Host: bucket.s3.amazonaws.com) to path style; each is tried both ways.
  const AWS_EXAMPLES: [string, string, RoutedRequest][] = [
    // ListBuckets
    ['GET', '/', { operation: 'ListBuckets' }],
    ['GET', '/?x-id=ListBuckets', { operation: 'ListBuckets' }],
    // CreateBucket
    ['PUT', '/amzn-s3-demo-bucket', { operation: 'CreateBucket', bucket: 'amzn-s3-demo-bucket' }],
    ['PUT', '/colorpictures', { operation: 'CreateBucket', bucket: 'colorpictures' }],
    // HeadBucket
    ['HEAD', '/amzn-s3-demo-bucket', { operation: 'HeadBucket', bucket: 'amzn-s3-demo-bucket' }],
    ['HEAD', '/amzn-s3-demo-bucket/', { operation: 'HeadBucket', bucket: 'amzn-s3-demo-bucket' }],
    // DeleteBucket
    ['DELETE', '/quotes', { operation: 'DeleteBucket', bucket: 'quotes' }],
    // ListObjects (v1)
    ['GET', '/bucket', { operation: 'ListObjects', bucket: 'bucket' }],
    ['GET', '/bucket?prefix=photos&max-keys=50&marker=puppy', { operation: 'ListObjects', bucket: 'bucket' }],
    // ListObjectsV2
    ['GET', '/bucket?list-type=2', { operation: 'ListObjectsV2', bucket: 'bucket' }],
    [
      'GET',
      '/bucket?list-type=2&max-keys=3&prefix=E&start-after=ExampleGuide.pdf',
      { operation: 'ListObjectsV2', bucket: 'bucket' },
    ],
    [
      'GET',
      '/bucket/?list-type=2&delimiter=/&prefix=photos/2006/',
      { operation: 'ListObjectsV2', bucket: 'bucket' },
    ],
    [
      'GET',
      '/bucket?list-type=2&continuation-token=1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=',
      { operation: 'ListObjectsV2', bucket: 'bucket' },
    ],
    [
      'GET',
      '/bucket?list-type=2&fetch-owner=true&encoding-type=url',
      { operation: 'ListObjectsV2', bucket: 'bucket' },
    ],
    // PutObject
    ['PUT', '/myBucket/my-image.jpg', { operation: 'PutObject', bucket: 'myBucket', key: 'my-image.jpg' }],
    ['PUT', '/bucket/test-object?x-id=PutObject', { operation: 'PutObject', bucket: 'bucket', key: 'test-object' }],
    // GetObject
    ['GET', '/bucket/my-image.jpg', { operation: 'GetObject', bucket: 'bucket', key: 'my-image.jpg' }],
    [
      'GET',
      '/bucket/Junk3.txt?response-cache-control=No-cache&response-content-disposition=attachment%3B%20filename%3Dtesting.txt&response-content-encoding=x-gzip&response-content-language=mi%2C%20en&response-expires=Thu%2C%2001%20Dec%201994%2016:00:00%20GMT',
      { operation: 'GetObject', bucket: 'bucket', key: 'Junk3.txt' },
    ],
    ['GET', '/bucket/example-object?x-id=GetObject', { operation: 'GetObject', bucket: 'bucket', key: 'example-object' }],
    // HeadObject
    ['HEAD', '/bucket/my-image.jpg', { operation: 'HeadObject', bucket: 'bucket', key: 'my-image.jpg' }],
    // DeleteObject
    ['DELETE', '/bucket/my-second-image.jpg', { operation: 'DeleteObject', bucket: 'bucket', key: 'my-second-image.jpg' }],
    ['DELETE', '/bucket/k?x-id=DeleteObject', { operation: 'DeleteObject', bucket: 'bucket', key: 'k' }],
    // DeleteObjects
    ['POST', '/bucket?delete', { operation: 'DeleteObjects', bucket: 'bucket' }],
    ['POST', '/bucket/?delete=&x-id=DeleteObjects', { operation: 'DeleteObjects', bucket: 'bucket' }],
    // GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy
    ['GET', '/amzn-s3-demo-bucket?policy', { operation: 'GetBucketPolicy', bucket: 'amzn-s3-demo-bucket' }],
    ['GET', '/bucket/?policy=', { operation: 'GetBucketPolicy', bucket: 'bucket' }],
    ['PUT', '/amzn-s3-demo-bucket?policy', { operation: 'PutBucketPolicy', bucket: 'amzn-s3-demo-bucket' }],
    ['DELETE', '/amzn-s3-demo-bucket?policy', { operation: 'DeleteBucketPolicy', bucket: 'amzn-s3-demo-bucket' }],
    // GetBucketAcl, PutBucketAcl
    ['GET', '/amzn-s3-demo-bucket?acl', { operation: 'GetBucketAcl', bucket: 'amzn-s3-demo-bucket' }],
    ['GET', '/bucket/?acl=', { operation: 'GetBucketAcl', bucket: 'bucket' }],
    ['PUT', '/amzn-s3-demo-bucket?acl', { operation: 'PutBucketAcl', bucket: 'amzn-s3-demo-bucket' }],
    ['GET', '/bucket/key?acl', { operation: 'GetObjectAcl', bucket: 'bucket', key: 'key' }],
    ['PUT', '/bucket/key?acl&versionId=v1', { operation: 'PutObjectAcl', bucket: 'bucket', key: 'key' }],
    // GetBucketNotificationConfiguration, PutBucketNotificationConfiguration
    ['GET', '/amzn-s3-demo-bucket?notification', { operation: 'GetBucketNotificationConfiguration', bucket: 'amzn-s3-demo-bucket' }],
    [
      'GET',
      '/bucket/?notification=&x-id=GetBucketNotificationConfiguration',
      { operation: 'GetBucketNotificationConfiguration', bucket: 'bucket' },
    ],
    ['PUT', '/amzn-s3-demo-bucket?notification', { operation: 'PutBucketNotificationConfiguration', bucket: 'amzn-s3-demo-bucket' }],
    [
      'PUT',
      '/bucket?notification&x-id=PutBucketNotificationConfiguration',
      { operation: 'PutBucketNotificationConfiguration', bucket: 'bucket' },
    ],
    // Versioning
    ['GET', '/bucket?versioning', { operation: 'GetBucketVersioning', bucket: 'bucket' }],
    ['PUT', '/bucket?versioning', { operation: 'PutBucketVersioning', bucket: 'bucket' }],
    ['GET', '/bucket?versions&prefix=a', { operation: 'ListObjectVersions', bucket: 'bucket' }],
    ['GET', '/bucket/key?versionId=3/L4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY%2BMTRCxf3vjVBH40Nr8X8gdRQBpUMLUo', { operation: 'GetObject', bucket: 'bucket', key: 'key' }],
    ['HEAD', '/bucket/key?versionId=v1', { operation: 'HeadObject', bucket: 'bucket', key: 'key' }],
    ['DELETE', '/bucket/my-third-image.jpg?versionId=UIORUnfndf', { operation: 'DeleteObject', bucket: 'bucket', key: 'my-third-image.jpg' }],
    // GetObjectTagging, PutObjectTagging, DeleteObjectTagging
    ['GET', '/example-bucket/example-object?tagging', { operation: 'GetObjectTagging', bucket: 'example-bucket', key: 'example-object' }],
    ['PUT', '/example-bucket/object-key?tagging', { operation: 'PutObjectTagging', bucket: 'example-bucket', key: 'object-key' }],
    ['DELETE', '/examplebucket/exampleobject?tagging', { operation: 'DeleteObjectTagging', bucket: 'examplebucket', key: 'exampleobject' }],
    ['PUT', '/bucket/k?tagging=&x-id=PutObjectTagging', { operation: 'PutObjectTagging', bucket: 'bucket', key: 'k' }],
    // GetBucketTagging, PutBucketTagging, DeleteBucketTagging (the same sub-resource on a bucket)
    ['GET', '/example-bucket?tagging', { operation: 'GetBucketTagging', bucket: 'example-bucket' }],
    ['PUT', '/my-bucket?object-lock', { operation: 'PutObjectLockConfiguration', bucket: 'my-bucket' }],
    ['GET', '/my-bucket?object-lock', { operation: 'GetObjectLockConfiguration', bucket: 'my-bucket' }],
    ['PUT', '/my-bucket/my-object?retention', { operation: 'PutObjectRetention', bucket: 'my-bucket', key: 'my-object' }],
    ['GET', '/my-bucket/my-object?retention&versionId=v1', { operation: 'GetObjectRetention', bucket: 'my-bucket', key: 'my-object' }],
    ['PUT', '/my-bucket/my-object?legal-hold', { operation: 'PutObjectLegalHold', bucket: 'my-bucket', key: 'my-object' }],
    ['GET', '/my-bucket/my-object?legal-hold', { operation: 'GetObjectLegalHold', bucket: 'my-bucket', key: 'my-object' }],
    ['PUT', '/example-bucket?tagging', { operation: 'PutBucketTagging', bucket: 'example-bucket' }],
    ['DELETE', '/examplebucket?tagging', { operation: 'DeleteBucketTagging', bucket: 'examplebucket' }],
    // GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration, DeleteBucketLifecycle
    ['GET', '/example-bucket?lifecycle', { operation: 'GetBucketLifecycleConfiguration', bucket: 'example-bucket' }],
    ['PUT', '/example-bucket?lifecycle', { operation: 'PutBucketLifecycleConfiguration', bucket: 'example-bucket' }],
    ['DELETE', '/examplebucket?lifecycle', { operation: 'DeleteBucketLifecycle', bucket: 'examplebucket' }],
    // GetBucketCors, PutBucketCors, DeleteBucketCors
    ['GET', '/example-bucket?cors', { operation: 'GetBucketCors', bucket: 'example-bucket' }],
    ['PUT', '/example-bucket?cors', { operation: 'PutBucketCors', bucket: 'example-bucket' }],
    ['DELETE', '/examplebucket?cors', { operation: 'DeleteBucketCors', bucket: 'examplebucket' }],
    ['GET', '/bucket/?cors=&x-id=GetBucketCors', { operation: 'GetBucketCors', bucket: 'bucket' }],
    // OPTIONS object (CORS preflight): whatever the query names, it asks about that request.
    ['OPTIONS', '/examplebucket/example.html', { operation: 'CorsPreflight', bucket: 'examplebucket', key: 'example.html' }],
    ['OPTIONS', '/bucket', { operation: 'CorsPreflight', bucket: 'bucket' }],
    ['OPTIONS', '/bucket/k?x-id=PutObject&versionId=v1', { operation: 'CorsPreflight', bucket: 'bucket', key: 'k' }],
    ['GET', '/bucket/key?tagging&versionId=v1', { operation: 'GetObjectTagging', bucket: 'bucket', key: 'key' }],
    // GetBucketPolicyStatus
    ['GET', '/bucket?policyStatus', { operation: 'GetBucketPolicyStatus', bucket: 'bucket' }],
    // GetObjectAttributes
    ['GET', '/bucket/key?attributes', { operation: 'GetObjectAttributes', bucket: 'bucket', key: 'key' }],
    ['GET', '/bucket/key?attributes&versionId=v1', { operation: 'GetObjectAttributes', bucket: 'bucket', key: 'key' }],
    // GetBucketLocation
    ['GET', '/amzn-s3-demo-bucket?location', { operation: 'GetBucketLocation', bucket: 'amzn-s3-demo-bucket' }],
    ['GET', '/bucket/?location=&x-id=GetBucketLocation', { operation: 'GetBucketLocation', bucket: 'bucket' }],
    // CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts
    ['POST', '/example-bucket/example-object?uploads', { operation: 'CreateMultipartUpload', bucket: 'example-bucket', key: 'example-object' }],
    ['POST', '/bucket/k?uploads=&x-id=CreateMultipartUpload', { operation: 'CreateMultipartUpload', bucket: 'bucket', key: 'k' }],
    [
      'PUT',
      '/example-bucket/my-movie.m2ts?partNumber=1&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR',
      { operation: 'UploadPart', bucket: 'example-bucket', key: 'my-movie.m2ts' },
    ],
    ['PUT', '/bucket/k?x-id=UploadPart&partNumber=2&uploadId=u', { operation: 'UploadPart', bucket: 'bucket', key: 'k' }],
    [
      'POST',
      '/example-bucket/example-object?uploadId=AAAsb2FkIElEIGZvciBlbHZpbmcncyWeeS1tb3ZpZS5tMnRzIRRwbG9hZA',
      { operation: 'CompleteMultipartUpload', bucket: 'example-bucket', key: 'example-object' },
    ],
    [
      'DELETE',
      '/example-bucket/example-object?uploadId=VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZ',
      { operation: 'AbortMultipartUpload', bucket: 'example-bucket', key: 'example-object' },
    ],
    [
      'GET',
      '/example-bucket/example-object?uploadId=XXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA&max-parts=2&part-number-marker=1',
      { operation: 'ListParts', bucket: 'example-bucket', key: 'example-object' },
    ],
    // ListMultipartUploads
    ['GET', '/example-bucket?uploads', { operation: 'ListMultipartUploads', bucket: 'example-bucket' }],
    ['GET', '/example-bucket/?uploads&max-uploads=3', { operation: 'ListMultipartUploads', bucket: 'example-bucket' }],
    ['GET', '/example-bucket?uploads&delimiter=/&prefix=photos/2006/', { operation: 'ListMultipartUploads', bucket: 'example-bucket' }],
    // The sub-resource wins over the parameters of the operation without it.
    ['GET', '/bucket?acl&list-type=2', { operation: 'GetBucketAcl', bucket: 'bucket' }],
  ];

  describe.each(AWS_EXAMPLES)('%s %s', (method, target, expected) => {
    it(`routes to ${expected.operation}`, () => {
      expect(route(method, target)).toEqual(expected);
    });
  });

  describe.each(
    // Only DNS-compatible bucket names can be addressed virtual-hosted style (not `myBucket`).
    AWS_EXAMPLES.filter(([, , expected]) => expected.bucket === undefined || expected.bucket === expected.bucket.toLowerCase()),
  )('virtual-hosted style: %s %s', (method, target, expected) => {
    const vhost = virtualHosted(target);
    it(`routes Host: ${vhost.host} ${vhost.target} to ${expected.operation}`, () => {
      expect(route(method, vhost.target, vhost.host)).toEqual(expected);
    });
  });

  describe('virtual-hosted style', () => {
    it.each<[string, string, RoutedRequest]>([
      ['photos.s3.example.local', '/', { operation: 'ListObjects', bucket: 'photos' }],
      ['photos.s3.example.local:9000', '/2006/January/sample.jpg', { operation: 'GetObject', bucket: 'photos', key: '2006/January/sample.jpg' }],
      ['PHOTOS.S3.Example.Local', '/k', { operation: 'GetObject', bucket: 'photos', key: 'k' }],
      ['logs.2026.s3.example.local', '/k', { operation: 'GetObject', bucket: 'logs.2026', key: 'k' }],
      ['photos.s3.example.local', '//leading-slash', { operation: 'GetObject', bucket: 'photos', key: '/leading-slash' }],
      ['photos.s3.example.local', '/a%2Fb%20c', { operation: 'GetObject', bucket: 'photos', key: 'a/b c' }],
      // The domain itself, or any other host, is path-style.
      ['s3.example.local:9000', '/photos/k', { operation: 'GetObject', bucket: 'photos', key: 'k' }],
      ['s3.example.local', '/', { operation: 'ListBuckets' }],
      ['127.0.0.1:9000', '/photos/k', { operation: 'GetObject', bucket: 'photos', key: 'k' }],
      ['photos.elsewhere.example', '/photos/k', { operation: 'GetObject', bucket: 'photos', key: 'k' }],
    ])('Host: %s GET %s', (host, target, expected) => {
      expect(route('GET', target, host)).toEqual(expected);
    });

    it('is off without a domain', () => {
      const query = new URLSearchParams();
      expect(routeS3Request({ method: 'GET', rawPath: '/k', query, host: 'photos.s3.example.local' })).toEqual({
        operation: 'ListObjects',
        bucket: 'k',
      });
    });

    it('applies the same key and method rules as path style', () => {
      const host = 'b.s3.example.local';
      const tooLong = (() => {
        try {
          return route('PUT', `/${'k'.repeat(1025)}`, host);
        } catch (error) {
          return error;
        }
      })();
      expect(tooLong).toBeInstanceOf(S3Error);
      expect((tooLong as S3Error).code).toBe('KeyTooLongError');
      expect(() => route('POST', '/k', host)).toThrow(expect.objectContaining({ code: 'MethodNotAllowed' }));
      expect(() => route('GET', '/%ZZ', host)).toThrow(expect.objectContaining({ code: 'InvalidURI' }));
    });
  });

  describe('object keys', () => {
    it.each<[string, string]>([
      ['/b/photos/2006/January/sample.jpg', 'photos/2006/January/sample.jpg'],
      ['/b//leading-slash', '/leading-slash'],
      ['/b/a//b', 'a//b'],
      ['/b/trailing/', 'trailing/'],
      ['/b/../../etc/passwd', '../../etc/passwd'],
      ['/b/./x', './x'],
      ['/b/back\\slash', 'back\\slash'],
      ['/b/%2E%2E/x', '../x'],
      ['/b/a%2Fb', 'a/b'],
      ['/b/sp%20ace+plus', 'sp ace+plus'],
      ['/b/%E2%82%AC%F0%9F%98%80', '€😀'],
      ['/b/%EE%80%80', '\uE000'],
      ['/b/%3F%23%25', '?#%'],
      ['/b/%01%1F%7F', '\u0001\u001f\u007f'],
      ['/b/ünïcødé-unescaped', 'ünïcødé-unescaped'],
    ])('%s has key %j', (rawPath, key) => {
      expect(route('GET', rawPath)).toEqual({ operation: 'GetObject', bucket: 'b', key });
    });

    it('decodes the bucket segment but never splits on an encoded slash', () => {
      expect(route('GET', '/my%2Dbucket/k')).toEqual({ operation: 'GetObject', bucket: 'my-bucket', key: 'k' });
      expect(errorOf('PUT', '/a%2Fb')).toMatchObject({ code: 'InvalidBucketName', details: { BucketName: 'a/b' } });
    });

    it.each(['/b/%00', '/b/x%00y', '/b/a/%00/c'])('refuses %s, a key the read model cannot store, with InvalidArgument', (rawPath) => {
      for (const method of ['PUT', 'GET', 'DELETE', 'HEAD']) {
        expect(errorOf(method, rawPath)).toMatchObject({ code: 'InvalidArgument', status: 400, details: { ArgumentName: 'key' } });
      }
    });

    it.each(['/b%00/k', '/%00', '/b%20c/k', `/${'b'.repeat(256)}/k`])('refuses %s, a bucket name no bucket ever had, with InvalidBucketName', (rawPath) => {
      expect(errorOf('GET', rawPath).code).toBe('InvalidBucketName');
    });

    it('still routes the names of legacy us-east-1 buckets (upper case, underscores)', () => {
      expect(route('GET', '/Legacy_Bucket/k')).toEqual({ operation: 'GetObject', bucket: 'Legacy_Bucket', key: 'k' });
    });

    it.each(['/b?list-type=2&prefix=%00', '/b?marker=a%00', '/b/k?response-content-type=text%00html', '/b?%00=1'])(
      'refuses %s, a query value holding U+0000, with InvalidArgument',
      (target) => {
        expect(errorOf('GET', target).code).toBe('InvalidArgument');
      },
    );

    it('accepts a key of exactly 1024 UTF-8 bytes', () => {
      const key = 'é'.repeat(512); // 2 bytes each
      expect(route('PUT', `/b/${encodeURIComponent(key)}`).key).toBe(key);
    });

    it.each([
      ['ASCII', 'k'.repeat(1025)],
      ['multi-byte', '€'.repeat(342)], // 1026 bytes, only 342 UTF-16 units
      ['astral', '😀'.repeat(257)], // 1028 bytes
    ])('rejects a %s key longer than 1024 UTF-8 bytes with KeyTooLongError', (_kind, key) => {
      const error = errorOf('PUT', `/b/${encodeURIComponent(key)}`);
      expect(error.code).toBe('KeyTooLongError');
      expect(error.status).toBe(400);
      expect(error.details.MaxSizeAllowed).toBe('1024');
    });
  });

  describe('malformed URIs', () => {
    it.each(['/b/%', '/b/%G1', '/b/abc%2', '/b/%FF', '/b/%C3%28', '/b/%ED%A0%80', '/%ZZ/k', 'b/k', '', '//k'])(
      '%j is InvalidURI',
      (rawPath) => {
        const error = errorOf('GET', rawPath);
        expect(error.code).toBe('InvalidURI');
        expect(error.status).toBe(400);
        expect(error.message).toBe("Couldn't parse the specified URI.");
      },
    );
  });

  describe('browser form uploads', () => {
    it('routes POST /bucket with a multipart/form-data body to PostObject, and nothing else to it', () => {
      const form = (method: string, target: string) => {
        const q = target.indexOf('?');
        return routeS3Request({ method, rawPath: q === -1 ? target : target.slice(0, q), query: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)), formUpload: true });
      };
      expect(form('POST', '/bucket')).toEqual({ operation: 'PostObject', bucket: 'bucket' });
      expect(form('POST', '/bucket?delete')).toEqual({ operation: 'DeleteObjects', bucket: 'bucket' });
      expect(() => form('POST', '/bucket/key')).toThrow(expect.objectContaining({ code: 'MethodNotAllowed' }));
    });
  });

  describe('operations we do not implement', () => {
    it.each<[string, string]>([
      ['GET', '/bucket?list-type=1'],
      // Bucket sub-resources
      ['PUT', '/bucket?policyStatus'],
      ['POST', '/bucket?tagging'],
      ['POST', '/bucket?cors'],
      ['GET', '/bucket/key?cors'],
      ['GET', '/?cors'],
      ['PUT', '/bucket?cors&policy'],
      ['PUT', '/bucket?location'],
      ['DELETE', '/bucket?location'],
      ['GET', '/bucket/key?location'],
      ['GET', '/?location'],
      ['POST', '/bucket?lifecycle'],
      ['PUT', '/bucket?website'],
      ['GET', '/bucket?delete'], // ?delete is DeleteObjects only on POST /bucket
      ['DELETE', '/bucket?delete'],
      ['POST', '/bucket/key?delete'],
      ['POST', '/bucket'], // without a form, POST /bucket names nothing we have
      // ?acl and ?policy with a method or resource other than the bucket operations we serve
      ['POST', '/bucket?policy'],
      ['HEAD', '/bucket?policy'],
      ['DELETE', '/bucket?acl'],
      ['POST', '/bucket?acl'],
      ['HEAD', '/bucket?acl'],
      ['GET', '/?acl'],
      ['GET', '/?policy'],
      ['GET', '/bucket?acl&policy'],
      ['PUT', '/bucket?acl&versioning'],
      ['PUT', '/bucket?policy&x-id=PutBucketAcl'],
      ['DELETE', '/bucket/key?policy'],
      // ?notification other than GET/PUT on the bucket
      ['DELETE', '/bucket?notification'],
      ['POST', '/bucket?notification'],
      ['HEAD', '/bucket?notification'],
      ['GET', '/?notification'],
      ['GET', '/bucket/key?notification'],
      ['PUT', '/bucket?notification&acl'],
      ['PUT', '/bucket?notification&x-id=PutBucketNotification'], // the deprecated operation
      // Object sub-resources and parameters
      ['DELETE', '/bucket/key?acl'],
      ['PUT', '/bucket/key?versionId=v1'], // PutObject creates versions, it does not address one
      ['POST', '/bucket?delete&versionId=v1'],
      ['POST', '/bucket/key?tagging'],
      ['HEAD', '/bucket/key?tagging'],
      ['PUT', '/bucket/key?tagging&acl'],
      ['PUT', '/bucket/key?tagging&uploads'],
      ['PUT', '/bucket/key?attributes'],
      ['GET', '/bucket?attributes'],
      ['GET', '/bucket/key?torrent'],
      // Multipart: the upload listing, a part of an object, and anything mixed or misplaced.
      ['POST', '/bucket?uploads'],
      ['DELETE', '/bucket?uploads'],
      ['GET', '/?uploads'],
      ['GET', '/bucket?uploads&uploadId=u'],
      ['PUT', '/bucket/key?uploads'],
      ['GET', '/bucket/key?uploads'],
      ['POST', '/bucket/key?uploads&uploadId=u'],
      ['GET', '/bucket/key?partNumber=1&uploadId=u'],
      ['POST', '/bucket/key?partNumber=1&uploadId=u'],
      ['HEAD', '/bucket/key?uploadId=u'],
      ['PUT', '/bucket/key?uploadId=u'],
      ['PUT', '/bucket/key?partNumber=1'],
      ['DELETE', '/bucket/key?partNumber=1'],
      ['GET', '/bucket/key?uploadId=u&acl'],
      ['POST', '/bucket?uploadId=u'],
      ['POST', '/bucket/key?restore'],
      ['POST', '/bucket/key?select&select-type=2'],
      ['DELETE', '/bucket/key?retention'],
      ['DELETE', '/bucket?object-lock'],
      // The JS SDK names operations we would otherwise mistake for ours.
      ['PUT', '/bucket/key?x-id=CopyObject'],
      ['PUT', '/bucket/key?x-id=UploadPartCopy'],
      ['GET', '/?x-id=ListDirectoryBuckets'],
      // A preflight names no bucket whose rules could answer it.
      ['OPTIONS', '/'],
    ])('%s %s is NotImplemented', (method, target) => {
      const error = errorOf(method, target);
      expect(error.code).toBe('NotImplemented');
      expect(error.status).toBe(501);
    });

    it('routes a PUT with x-amz-copy-source to CopyObject, or UploadPartCopy for a part', () => {
      // The AWS examples: PUT /my-second-image.jpg with x-amz-copy-source, and the UploadPartCopy one.
      expect(route('PUT', '/bucket/my-second-image.jpg', undefined, true)).toEqual({ operation: 'CopyObject', bucket: 'bucket', key: 'my-second-image.jpg' });
      expect(route('PUT', '/bucket/k?x-id=CopyObject', undefined, true)).toEqual({ operation: 'CopyObject', bucket: 'bucket', key: 'k' });
      expect(route('PUT', '/example-bucket/example-object?partNumber=1&uploadId=u', undefined, true)).toEqual({
        operation: 'UploadPartCopy', bucket: 'example-bucket', key: 'example-object',
      });
      expect(route('PUT', '/b/k?x-id=UploadPartCopy&partNumber=2&uploadId=u', undefined, true)).toMatchObject({ operation: 'UploadPartCopy' });
      // Without the header the SDK's hint still names an operation this request is not.
      expect(errorOf('PUT', '/b/k?partNumber=1&uploadId=u&x-id=UploadPartCopy').code).toBe('NotImplemented');
    });

    it('routes GET/HEAD ?partNumber alone to GetObject/HeadObject of that part', () => {
      expect(route('GET', '/bucket/key?partNumber=1')).toEqual({ operation: 'GetObject', bucket: 'bucket', key: 'key' });
      expect(route('HEAD', '/bucket/key?partNumber=3')).toEqual({ operation: 'HeadObject', bucket: 'bucket', key: 'key' });
      expect(route('GET', '/bucket/key?partNumber=1&x-id=GetObject')).toMatchObject({ operation: 'GetObject' });
    });

    it('ignores query parameters that do not select an operation', () => {
      expect(route('GET', '/b/k?cachebust=123&X-Amz-Expires=60')).toEqual({ operation: 'GetObject', bucket: 'b', key: 'k' });
      expect(route('PUT', '/b?ACL')).toEqual({ operation: 'CreateBucket', bucket: 'b' }); // names are case-sensitive
    });
  });

  describe('methods', () => {
    it.each<[string, string, S3ErrorCode, Record<string, string>]>([
      ['PATCH', '/b/k', 'MethodNotAllowed', { Method: 'PATCH', ResourceType: 'OBJECT' }],
      ['TRACE', '/b', 'MethodNotAllowed', { Method: 'TRACE', ResourceType: 'BUCKET' }],
      ['get', '/b/k', 'MethodNotAllowed', { Method: 'get', ResourceType: 'OBJECT' }],
      ['POST', '/b/k', 'MethodNotAllowed', { Method: 'POST', ResourceType: 'OBJECT' }],
      ['PUT', '/', 'MethodNotAllowed', { Method: 'PUT' }],
      ['DELETE', '/', 'MethodNotAllowed', { Method: 'DELETE' }],
      ['HEAD', '/', 'MethodNotAllowed', { Method: 'HEAD' }],
      ['POST', '/', 'MethodNotAllowed', { Method: 'POST' }],
    ])('%s %s is %s', (method, target, code, details) => {
      const error = errorOf(method, target);
      expect(error.code).toBe(code);
      expect(error.status).toBe(405);
      expect(error.details).toEqual(details);
    });
  });
});
