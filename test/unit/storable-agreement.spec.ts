// The edge, the writers and the projections agree on what the read model can store (issue #10):
// - whatever an edge parser accepts is storable, so no request can make an unstorable event;
// - a writer appends an event exactly when it is storable (envelope() refuses the others);
// - a projection decodes a record exactly when it is storable (the others are poison at once),
//   and what it writes from a storable event is storable too.
// Every event type of both topics is generated, with adversarial text where clients put theirs.
// test/int/storable-projection.int-spec.ts shows the database itself agrees.
import fc from 'fast-check';
import { decodeRecord, envelope, PoisonEventError } from '../../src/event-log/event-envelope.js';
import { decodeIdentityRecord, identityEnvelope } from '../../src/event-log/identity-envelope.js';
import { SEDIMENT_EVENT_TYPES } from '../../src/bucket-stream/sediment-event.js';
import { findUnstorable, UnstorableEventError } from '../../src/event-log/storable.js';
import { IDENTITY_EVENT_TYPES } from '../../src/identity-stream/identity.events.js';
import { parseTaggingHeader } from '../../src/bucket-stream/object-tags.js';
import { projectBucketMetadata } from '../../src/projections/bucket-metadata/bucket-metadata.projection.js';
import { projectIdentity } from '../../src/projections/identity/identity.projection.js';
import { parseCopySource } from '../../src/s3/http/copy-source.js';
import type { S3HttpRequest } from '../../src/s3/http/s3-request.js';
import { userMetadataOf } from '../../src/s3/operations/put-object.operation.js';
import { routeS3Request } from '../../src/s3/routing/s3.router.js';
import { parseCompleteMultipartUpload } from '../../src/s3/xml/complete-multipart-upload.parser.js';
import { parseCorsConfiguration } from '../../src/s3/xml/cors-configuration.xml.js';
import { parseDeleteObjects } from '../../src/s3/xml/delete-objects.parser.js';
import { parseNotificationConfiguration } from '../../src/s3/xml/notification-configuration.xml.js';
import { parseTagging } from '../../src/s3/xml/tagging.xml.js';
import { bucketHistory, identityHistory, storableText, typesOf, unstorableText } from '../support/event-arbitraries.js';

const principal = { accessKeyId: 'AKIAEXAMPLE', arn: 'arn:aws:iam::000000000000:root' };
const at = new Date('2026-12-01T00:00:00.000Z');
const position = { partition: 0, offset: 7 };
const hostile = { key: fc.oneof(storableText(32, 1), unstorableText), text: fc.oneof(storableText(16), unstorableText) };
/** Documents hold Dates, which BSON stores; the text inside them is what matters here. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Whether `run` accepted its input; an S3 error (a 4xx) is a refusal, anything else a bug. */
function accepted<T>(run: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if ((error as { name?: string }).name === 'S3Error') return { ok: false };
    throw error;
  }
}

describe('generated histories', () => {
  it('cover every event type of both topics', () => {
    const [bucketEvents] = fc.sample(bucketHistory(), 1);
    const [identityEvents] = fc.sample(identityHistory(), 1);
    expect([...typesOf(bucketEvents!)].sort()).toEqual([...SEDIMENT_EVENT_TYPES].sort());
    expect([...typesOf(identityEvents!)].sort()).toEqual([...IDENTITY_EVENT_TYPES].sort());
  });
});

describe('writers and projections agree on what is storable', () => {
  it('bucket events: appended and decoded exactly when storable, and projected into storable documents', () => {
    fc.assert(
      fc.property(bucketHistory(hostile), (events) => {
        for (const event of events) {
          const storable = findUnstorable(event.data) === undefined;
          let appended;
          try {
            appended = envelope(event, event.data.bucket, 'id-1', at, principal);
          } catch (error) {
            expect(error).toBeInstanceOf(UnstorableEventError);
          }
          expect(appended !== undefined).toBe(storable);
          // A record written by someone else (a foreign producer, an older bug) is judged on decode.
          const record = JSON.stringify({ id: 'id-1', type: event.type, schemaVersion: appended?.schemaVersion ?? 1, time: at.toISOString(), principal, bucket: event.data.bucket, data: event.data });
          if (storable) {
            const recorded = decodeRecord(record, position);
            expect(recorded.event).toEqual(asJson(event));
            for (const mutation of projectBucketMetadata(recorded.event, position)) expect(findUnstorable(asJson(mutation))).toBeUndefined();
          } else {
            expect(() => decodeRecord(record, position)).toThrow(PoisonEventError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('identity events: appended and decoded exactly when storable, and projected into storable documents', () => {
    fc.assert(
      fc.property(identityHistory(hostile), (events) => {
        for (const event of events) {
          const storable = findUnstorable(event.data) === undefined;
          let appended;
          try {
            appended = identityEnvelope(event, 'id-1', at, principal);
          } catch (error) {
            expect(error).toBeInstanceOf(UnstorableEventError);
          }
          expect(appended !== undefined).toBe(storable);
          const record = JSON.stringify({ id: 'id-1', type: event.type, schemaVersion: 1, time: at.toISOString(), principal, subject: 'user/x', data: event.data });
          if (storable) {
            const recorded = decodeIdentityRecord(record, position);
            for (const mutation of projectIdentity(recorded.event, 7, () => undefined)) expect(findUnstorable(asJson(mutation))).toBeUndefined();
          } else {
            expect(() => decodeIdentityRecord(record, position)).toThrow(PoisonEventError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Any byte string as a client can put it on the wire: percent-encoded, or raw where printable. */
const wireText = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0xed, 0xa0, 0x80, 0x2f, 0x25)), { maxLength: 24 })
  .map((bytes) => bytes.map((b) => (b >= 0x30 && b <= 0x7a && b !== 0x3f && b !== 0x23 ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join(''));
/** Text for XML documents: raw characters (NUL and lone surrogates among them) and character references. */
const xmlText = fc
  .array(fc.oneof(hostile.text, fc.constantFrom('&#0;', '&#xD800;', '&#x1F600;', '&amp;', '&#9;', '\u0000', '\ud800')), { maxLength: 4 })
  .map((parts) => parts.join('').replace(/[<>]/g, ''));

describe('the edge accepts only what is storable', () => {
  const check = <T>(input: fc.Arbitrary<T>, parse: (value: T) => unknown) =>
    fc.assert(
      fc.property(input, (value) => {
        const result = accepted(() => parse(value));
        if (result.ok) expect(findUnstorable(asJson(result.value) ?? null)).toBeUndefined();
      }),
      { numRuns: 500 },
    );

  it('object keys and bucket names in the path, and every query value', () => {
    check(fc.tuple(wireText, wireText, wireText), ([bucket, key, value]) =>
      routeS3Request({ method: 'GET', rawPath: `/${bucket}/${key}`, query: new URLSearchParams(`prefix=${value}&marker=${value}`) }),
    );
  });

  it('x-amz-tagging', () => {
    check(fc.tuple(wireText, wireText), ([k, v]) => parseTaggingHeader(`${k}=${v}`));
  });

  it('x-amz-copy-source', () => {
    check(fc.tuple(wireText, wireText), ([bucket, key]) => parseCopySource(`/${bucket}/${key}`));
  });

  it('x-amz-meta-* headers, as Node hands them over (one character per byte)', () => {
    const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength: 16 });
    check(fc.tuple(latin1, latin1), ([name, value]) => userMetadataOf({ headers: { [`x-amz-meta-${name.toLowerCase()}`]: value } } as unknown as S3HttpRequest));
  });

  it('XML bodies: Tagging, CORSConfiguration, NotificationConfiguration, Delete, CompleteMultipartUpload', () => {
    check(fc.tuple(xmlText, xmlText), ([k, v]) => parseTagging(`<Tagging><TagSet><Tag><Key>${k}</Key><Value>${v}</Value></Tag></TagSet></Tagging>`));
    check(xmlText, (origin) =>
      parseCorsConfiguration(`<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>${origin}</AllowedOrigin><ID>${origin}</ID></CORSRule></CORSConfiguration>`),
    );
    check(fc.tuple(xmlText, xmlText), ([id, prefix]) =>
      parseNotificationConfiguration(
        `<NotificationConfiguration><TopicConfiguration><Id>${id}</Id><Topic>arn:aws:sns:us-east-1:000000000000:${id}</Topic><Event>s3:ObjectCreated:*</Event>` +
          `<Filter><S3Key><FilterRule><Name>prefix</Name><Value>${prefix}</Value></FilterRule></S3Key></Filter></TopicConfiguration></NotificationConfiguration>`,
      ),
    );
    check(xmlText, (key) => parseDeleteObjects(`<Delete><Object><Key>${key}</Key><VersionId>${key}</VersionId></Object></Delete>`));
    check(xmlText, (etag) => parseCompleteMultipartUpload(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`));
  });
});
