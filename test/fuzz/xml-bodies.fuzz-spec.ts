// Fuzz target: every S3 XML request body, parsed from memory and read from a request stream
// split into random chunks (the path a request takes: UTF-8 decoding and parsing in slices).
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { S3HttpRequest } from '../../src/s3/http/s3-request.js';
import { parseAccessControlPolicy } from '../../src/s3/xml/access-control-policy.parser.js';
import { COMPLETE_MULTIPART_UPLOAD_DOCUMENT } from '../../src/s3/xml/complete-multipart-upload.parser.js';
import { CORS_CONFIGURATION_DOCUMENT } from '../../src/s3/xml/cors-configuration.xml.js';
import { CREATE_BUCKET_CONFIGURATION_DOCUMENT } from '../../src/s3/xml/create-bucket-configuration.parser.js';
import { DELETE_OBJECTS_DOCUMENT } from '../../src/s3/xml/delete-objects.parser.js';
import { NOTIFICATION_CONFIGURATION_DOCUMENT } from '../../src/s3/xml/notification-configuration.xml.js';
import { LEGAL_HOLD_DOCUMENT, OBJECT_LOCK_CONFIGURATION_DOCUMENT, RETENTION_DOCUMENT } from '../../src/s3/xml/object-lock.xml.js';
import { TAGGING_DOCUMENT } from '../../src/s3/xml/tagging.xml.js';
import { VERSIONING_CONFIGURATION_DOCUMENT } from '../../src/s3/xml/versioning-configuration.xml.js';
import type { XmlDocumentType } from '../../src/s3/xml/xml-body.js';
import { assertCpu, expectRefusedOrStorable, fuzz, FUZZ_TEST_TIMEOUT_MS, isRefusal, mutationsOf } from './fuzz-harness.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const DOCUMENTS: Array<[string, XmlDocumentType<unknown>, string]> = [
  ['Tagging', TAGGING_DOCUMENT, `<Tagging ${NS}><TagSet><Tag><Key>project</Key><Value>blue sky</Value></Tag><Tag><Key>k</Key><Value></Value></Tag></TagSet></Tagging>`],
  [
    'CORSConfiguration',
    CORS_CONFIGURATION_DOCUMENT,
    `<CORSConfiguration ${NS}><CORSRule><ID>r1</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>` +
      '<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>',
  ],
  [
    'NotificationConfiguration',
    NOTIFICATION_CONFIGURATION_DOCUMENT,
    `<NotificationConfiguration ${NS}><TopicConfiguration><Id>uploads</Id><Topic>arn:aws:sns:us-east-1:000000000000:t.uploads</Topic>` +
      '<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>logs/</Value></FilterRule>' +
      '<FilterRule><Name>suffix</Name><Value>.txt</Value></FilterRule></S3Key></Filter></TopicConfiguration></NotificationConfiguration>',
  ],
  ['Delete', DELETE_OBJECTS_DOCUMENT, `<Delete ${NS}><Quiet>false</Quiet><Object><Key>a/b.txt</Key></Object><Object><Key>c</Key><VersionId>null</VersionId></Object></Delete>`],
  [
    'CompleteMultipartUpload',
    COMPLETE_MULTIPART_UPLOAD_DOCUMENT,
    `<CompleteMultipartUpload ${NS}><Part><PartNumber>1</PartNumber><ETag>"0123456789abcdef0123456789abcdef"</ETag>` +
      '<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>"fedcba9876543210fedcba9876543210"</ETag></Part></CompleteMultipartUpload>',
  ],
  ['VersioningConfiguration', VERSIONING_CONFIGURATION_DOCUMENT, `<VersioningConfiguration ${NS}><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`],
  ['CreateBucketConfiguration', CREATE_BUCKET_CONFIGURATION_DOCUMENT, `<CreateBucketConfiguration ${NS}><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>`],
  [
    'ObjectLockConfiguration',
    OBJECT_LOCK_CONFIGURATION_DOCUMENT,
    `<ObjectLockConfiguration ${NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>`,
  ],
  ['Retention', RETENTION_DOCUMENT, `<Retention ${NS}><Mode>COMPLIANCE</Mode><RetainUntilDate>2030-01-01T00:00:00.000Z</RetainUntilDate></Retention>`],
  ['LegalHold', LEGAL_HOLD_DOCUMENT, `<LegalHold ${NS}><Status>ON</Status></LegalHold>`],
];
const ACL_SEED =
  `<AccessControlPolicy ${NS}><Owner><ID>owner-id</ID><DisplayName>root</DisplayName></Owner><AccessControlList><Grant>` +
  '<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>owner-id</ID></Grantee>' +
  '<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>';

/** A request whose body arrives in the given pieces, as payloadStream reads an unsigned one. */
function requestOf(body: Buffer, cuts: number[]): S3HttpRequest {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts.map((c) => Math.floor(c * body.length)).sort((a, b) => a - b), body.length]) {
    pieces.push(body.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  return Object.assign(Readable.from(pieces.filter((p) => p.length > 0)), {
    headers: { 'content-length': String(body.length) },
    sediment: { requestId: 'fuzz' },
    // IncomingMessage.complete: the whole body arrived (a cut body is IncompleteBody).
    complete: true,
  }) as unknown as S3HttpRequest;
}

describe.each(DOCUMENTS)('fuzz: %s body', (_root, document, seed) => {
  it(
    'is parsed or refused with an S3 error, from memory and from a stream in random chunks',
    async () => {
      const input = fc.tuple(mutationsOf([seed, '']), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }));
      await fuzz(input, async ([xml, cuts]) => {
        expectRefusedOrStorable(() => document.parse(xml));
        const started = process.cpuUsage();
        try {
          await document.read(requestOf(Buffer.from(xml, 'utf8'), cuts));
        } catch (error) {
          if (!isRefusal(error)) throw error;
        }
        assertCpu(started);
      });
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('fuzz: AccessControlPolicy body', () => {
  it('is parsed or refused with an S3 error', async () => {
    await fuzz(mutationsOf([ACL_SEED]), (xml) => expectRefusedOrStorable(() => parseAccessControlPolicy(xml)));
  }, FUZZ_TEST_TIMEOUT_MS);
});
