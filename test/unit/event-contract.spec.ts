// docs/asyncapi.yaml against the service's own list of event types, hand-made valid events of
// every type, and the violations the e2e suite's check must catch.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { encodeCloudEvent } from '../../src/event-log/event-envelope.js';
import { EVENT_SCHEMA_VERSIONS } from '../../src/bucket-stream/sediment-event.js';
import { IDENTITY_EVENT_SCHEMA_VERSIONS } from '../../src/identity-stream/identity.events.js';
import { CONTROL_EVENT_SCHEMA_VERSIONS } from '../../src/quarantine/quarantine.events.js';
import {
  ASYNCAPI_PATH,
  CONTRACT_CHANNELS,
  EventContract,
  contractMessages,
  validateRecord,
  type ContractRecord,
  type TopicKind,
} from '../support/event-contract.js';

type Envelope = Record<string, unknown> & { id: string; type: string; schemaVersion: number; time: string; data: Record<string, unknown> };

const document = () => parse(readFileSync(ASYNCAPI_PATH, 'utf8')) as Record<string, any>;

const SERVICE_VERSIONS: Record<TopicKind, Record<string, number>> = {
  bucket: EVENT_SCHEMA_VERSIONS,
  identity: IDENTITY_EVENT_SCHEMA_VERSIONS,
  control: CONTROL_EVENT_SCHEMA_VERSIONS,
};
const KINDS: TopicKind[] = ['bucket', 'identity', 'control'];

const ROOT = { accessKeyId: 'SEDIMENTTESTROOT0001', arn: 'arn:aws:iam::000000000000:root' };
const OWNER = 'a'.repeat(64);
const BUCKET_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OBJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OLD_OBJECT_ID = '16fd2706-8baf-433b-82eb-8c7fada847da';
const AT = '2025-03-04T05:06:07.089Z';
let ids = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

function bucketEvent(type: string, data: Record<string, unknown>, schemaVersion = 1): Envelope {
  return { id: nextId(), type, schemaVersion, time: AT, principal: ROOT, bucket: 'photos', data };
}

function identityEvent(type: string, data: Record<string, unknown>, schemaVersion = 1): Envelope {
  const subject = typeof data['bucket'] === 'string' ? `bucket/${data['bucket']}` : `user/${String(data['userName'])}`;
  return { id: nextId(), type, schemaVersion, time: AT, principal: ROOT, subject, data };
}

function controlEvent(type: string, data: Record<string, unknown>, schemaVersion = 1): Envelope {
  const subject = `${String(data['topic'])}/${String(data['partition'])}/${String(data['offset'])}`;
  return { id: nextId(), type, schemaVersion, time: AT, principal: ROOT, subject, data };
}

/** The Kafka record of an envelope, encoded by the service's own encoder (key, CloudEvents headers, JSON value). */
function recordOf(kind: TopicKind, envelope: Envelope): ContractRecord {
  return encodeCloudEvent(envelope, String(envelope[CONTRACT_CHANNELS[kind].subjectField]));
}

const sealed = { alg: 'AES-256-GCM', keyId: '0123456789abcdef', iv: 'AAECAwQFBgcICQoL', ciphertext: 'c2VjcmV0LWJ1dC1zZWFsZWQ=', tag: 'AAECAwQFBgcICQoLDA0ODw==' };

/** One hand-made valid event of every type the service writes today, by topic. */
const SAMPLES: Record<TopicKind, Envelope[]> = {
  bucket: [
    bucketEvent('BucketCreated', { bucket: 'photos', bucketId: BUCKET_ID, owner: OWNER, ownerDisplayName: 'root', region: 'us-east-1', createdAt: AT }),
    bucketEvent('BucketDeleted', { bucket: 'photos', bucketId: BUCKET_ID, deletedAt: AT }),
    bucketEvent('ObjectStored', {
      bucket: 'photos',
      bucketId: BUCKET_ID,
      key: 'été/ファイル 🌊.jpg',
      objectId: OBJECT_ID,
      size: 0,
      etag: '"d41d8cd98f00b204e9800998ecf8427e"',
      contentType: 'binary/octet-stream',
      userMetadata: [],
      owner: OWNER,
      ownerDisplayName: 'root',
      storedAt: AT,
    }),
    bucketEvent('ObjectDeleted', { bucket: 'photos', bucketId: BUCKET_ID, key: 'a/b.txt', objectId: OBJECT_ID, deletedAt: AT }),
    bucketEvent('ObjectCopied', {
      bucket: 'photos', bucketId: BUCKET_ID, key: 'copy', objectId: OBJECT_ID, size: 8, etag: '"c4ca4238a0b923820dcc509a6f75849b-2"',
      contentType: 'binary/octet-stream', userMetadata: [], owner: OWNER, ownerDisplayName: 'root', storedAt: AT, storageClass: 'STANDARD',
      sourceBucket: 'other', sourceKey: 'a/b.txt', parts: [{ objectId: OLD_OBJECT_ID, size: 8 }], tags: [{ key: 'k', value: 'v' }],
      replacedObjectId: OLD_OBJECT_ID,
    }),
  ],
  identity: [
    identityEvent('UserCreated', { userName: 'alice', userId: 'AIDAABCDEFGHIJKLMNOPQ', arn: 'arn:aws:iam::000000000000:user/alice', path: '/', createdAt: AT }),
    identityEvent('UserDeleted', { userName: 'alice', userId: 'AIDAABCDEFGHIJKLMNOPQ', deletedAt: AT }),
    identityEvent('AccessKeyCreated', { userName: 'alice', accessKeyId: 'AKIAABCDEFGHIJKLMNOP', status: 'Active', secret: sealed, createdAt: AT }),
    identityEvent('AccessKeyStatusChanged', { userName: 'alice', accessKeyId: 'AKIAABCDEFGHIJKLMNOP', status: 'Inactive', changedAt: AT }),
    identityEvent('AccessKeyDeleted', { userName: 'alice', accessKeyId: 'AKIAABCDEFGHIJKLMNOP', deletedAt: AT }),
    identityEvent('UserPolicyPut', { userName: 'alice', policyName: 'read', policyDocument: '{"Version":"2012-10-17","Statement":[]}', putAt: AT }),
    identityEvent('UserPolicyDeleted', { userName: 'alice', policyName: 'read', deletedAt: AT }),
    identityEvent('BucketPolicyPut', { bucket: 'photos', bucketId: BUCKET_ID, policy: '{"Version":"2012-10-17","Statement":[]}', putAt: AT }),
    identityEvent('BucketPolicyDeleted', { bucket: 'photos', bucketId: BUCKET_ID, deletedAt: AT }),
    identityEvent('BucketAclPut', { bucket: 'photos', bucketId: BUCKET_ID, acl: 'public-read-write', putAt: AT }),
  ],
  control: [
    controlEvent('EventQuarantined', {
      topic: 'sediment.bucket-events.v1', partition: 3, offset: 17, valueSha256: null, reason: 'not JSON', operator: 'ops@host',
    }),
  ],
};

const sample = (kind: TopicKind, type: string): Envelope => structuredClone(SAMPLES[kind].find((e) => e.type === type)!);

describe('docs/asyncapi.yaml (the event contract)', () => {
  it('is an AsyncAPI 3.0.0 document with the kafka server and both topics', () => {
    const doc = document();
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ title: 'Sediment event contract', version: '1.0.0' });
    expect(doc.info.description).toContain('docs/events.md');
    expect(doc.servers.kafka).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
    expect(doc.channels.bucketEvents.address).toBe('sediment.bucket-events.v1');
    expect(doc.channels.identityEvents.address).toBe('sediment.identity-events.v1');
    expect(doc.channels.controlEvents.address).toBe('sediment.control-events.v1');
  });

  it('wires every message into one channel and that channel\'s receive operation', () => {
    const doc = document();
    const inChannels: string[] = [];
    for (const { channel } of Object.values(CONTRACT_CHANNELS)) {
      const messages = doc.channels[channel].messages as Record<string, { $ref: string }>;
      const operations = Object.values(doc.operations as Record<string, any>).filter((op) => op.channel.$ref === `#/channels/${channel}`);
      expect(operations.map((op) => op.action)).toEqual(['receive']);
      expect(operations[0].messages.map((m: { $ref: string }) => m.$ref).sort()).toEqual(
        Object.keys(messages).map((name) => `#/channels/${channel}/messages/${name}`).sort(),
      );
      inChannels.push(...Object.values(messages).map((m) => m.$ref));
    }
    expect(inChannels.sort()).toEqual(Object.keys(doc.components.messages).map((name) => `#/components/messages/${name}`).sort());
  });

  describe.each(KINDS)('the %s topic', (kind) => {
    const other: TopicKind = kind === 'bucket' ? 'identity' : 'bucket';

    it.each(Object.entries(SERVICE_VERSIONS[kind]))('has a message for %s at the schemaVersion the service writes (%i)', (type, version) => {
      expect(contractMessages(kind).map((m) => `${m.type} v${m.schemaVersion}`)).toContain(`${type} v${version}`);
      expect(contractMessages(other).map((m) => m.type)).not.toContain(type);
    });

    it('describes no type the service does not know, nor a version newer than it writes', () => {
      for (const { type, schemaVersion } of contractMessages(kind)) {
        expect({ type, known: SERVICE_VERSIONS[kind][type] !== undefined }).toEqual({ type, known: true });
        expect(schemaVersion).toBeGreaterThanOrEqual(1);
        expect(schemaVersion).toBeLessThanOrEqual(SERVICE_VERSIONS[kind][type]!);
      }
    });

    it('has a valid example for every message', () => {
      for (const message of contractMessages(kind)) {
        expect({ message: message.name, examples: message.examples.length > 0 }).toEqual({ message: message.name, examples: true });
        for (const example of message.examples) {
          const headers = example.headers ?? {};
          const record = { key: headers['ce_subject'] ?? null, headers, value: JSON.stringify(example.payload) };
          expect({ message: message.name, example: example.name, problems: validateRecord(kind, record) }).toEqual({
            message: message.name,
            example: example.name,
            problems: [],
          });
        }
      }
    });

    it.each(SAMPLES[kind].map((e) => [e.type, e] as const))('accepts a hand-made %s', (_type, envelope) => {
      expect(validateRecord(kind, recordOf(kind, envelope))).toEqual([]);
    });

    it('refuses its events on the other topic', () => {
      const [first] = SAMPLES[kind];
      expect(validateRecord(other, recordOf(kind, first!))).toEqual([`type "${first!.type}" has no message in channel ${CONTRACT_CHANNELS[other].channel}`]);
    });
  });
});

describe('validateRecord catches', () => {
  const problems = (kind: TopicKind, envelope: Envelope, alter: (record: ContractRecord) => void = () => undefined) => {
    const record = recordOf(kind, envelope);
    alter(record);
    return validateRecord(kind, record);
  };

  it('an ObjectStored with and without replacedObjectId: both valid (it is optional)', () => {
    const replaced = sample('bucket', 'ObjectStored');
    replaced.data['replacedObjectId'] = OLD_OBJECT_ID;
    replaced.data['userMetadata'] = [{ name: 'x.y', value: 'dotted' }];
    expect(problems('bucket', replaced)).toEqual([]);
    expect(problems('bucket', sample('bucket', 'ObjectStored'))).toEqual([]);
  });

  it('an ObjectStored v4 with content headers: valid; one holding a control character, an empty one, or one on v3: not', () => {
    const env = sample('bucket', 'ObjectStored');
    env.schemaVersion = 4;
    env.data['storageClass'] = 'STANDARD';
    Object.assign(env.data, { cacheControl: 'no-cache', contentDisposition: 'attachment; filename="caf\u00e9.txt"', contentEncoding: 'deflate, gzip', contentLanguage: 'de', expires: 'not a date' });
    expect(problems('bucket', env)).toEqual([]);
    env.data['expires'] = 'line\nbreak';
    expect(problems('bucket', env)).toEqual([expect.stringMatching(/^value\/data\/expires must match pattern/)]);
    env.data['expires'] = '';
    expect(problems('bucket', env)).toEqual([expect.stringMatching(/^value\/data\/expires must NOT have fewer than 1 characters/)]);
    env.data['expires'] = 'Wed, 01 Dec 2094 16:00:00 GMT';
    env.schemaVersion = 3;
    expect(problems('bucket', env)).toEqual(
      ['cacheControl', 'contentDisposition', 'contentEncoding', 'contentLanguage', 'expires'].map((field) => `value/data has a field the contract does not allow: ${field}`),
    );
  });

  it('an ObjectStored v2 with a checksum: valid; one of an unknown algorithm or type: not', () => {
    const env = sample('bucket', 'ObjectStored');
    env.schemaVersion = 2;
    env.data['storageClass'] = 'STANDARD';
    env.data['checksum'] = { algorithm: 'CRC64NVME', value: 'rosUhgp5mIg=', type: 'FULL_OBJECT' };
    expect(problems('bucket', env)).toEqual([]);
    env.data['checksum'] = { algorithm: 'MD5', value: 'rosUhgp5mIg=', type: 'COMPOSITE' };
    expect(problems('bucket', env)).toEqual([expect.stringMatching(/^value\/data\/checksum\/algorithm must be one of/)]);
    env.data['checksum'] = { algorithm: 'CRC32', value: 'AAAAAA==-2', type: 'PARTIAL' };
    expect(problems('bucket', env)).toEqual([expect.stringMatching(/^value\/data\/checksum\/type must be one of/)]);
  });

  it('an anonymous write (allowed by an ACL or policy): S3\'s anonymous owner id and an empty principal are valid', () => {
    const env = sample('bucket', 'ObjectStored');
    env['principal'] = { accessKeyId: '', arn: '*' };
    env.data['owner'] = '65a011a29cdf8ec533ec3d1ccaae921c';
    env.data['ownerDisplayName'] = 'anonymous';
    expect(problems('bucket', env)).toEqual([]);
    const bucket = sample('bucket', 'BucketCreated');
    bucket.data['owner'] = '65a011a29cdf8ec533ec3d1ccaae921c';
    expect(problems('bucket', bucket)).toEqual([expect.stringMatching(/^value\/data\/owner must match pattern/)]);
    const principal = sample('bucket', 'BucketDeleted');
    principal['principal'] = { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', arn: 'alice' };
    expect(problems('bucket', principal)).toEqual([expect.stringMatching(/^value\/principal\/arn must match pattern/)]);
  });

  it('a missing data field', () => {
    const env = sample('bucket', 'ObjectStored');
    delete env.data['etag'];
    expect(problems('bucket', env)).toEqual(['value/data lacks required field etag']);
  });

  it('a missing envelope field', () => {
    const env = sample('bucket', 'BucketCreated');
    delete env['principal'];
    expect(problems('bucket', env)).toEqual(['value lacks required field principal']);
  });

  it('a field of the wrong type', () => {
    const env = sample('bucket', 'ObjectStored');
    env.data['size'] = '12';
    expect(problems('bucket', env)).toEqual(['value/data/size must be integer']);
  });

  it('an extra envelope field', () => {
    const env = sample('bucket', 'BucketDeleted');
    env['partition'] = 3;
    expect(problems('bucket', env)).toEqual(['value has a field the contract does not allow: partition']);
  });

  it('a plaintext secretAccessKey on AccessKeyCreated', () => {
    const env = sample('identity', 'AccessKeyCreated');
    env.data['secretAccessKey'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(problems('identity', env)).toEqual(['value/data has a field the contract does not allow: secretAccessKey']);
  });

  it('a plaintext secret in place of the sealed one', () => {
    const env = sample('identity', 'AccessKeyCreated');
    env.data['secret'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(problems('identity', env)).toEqual(['value/data/secret must be object']);
  });

  it('values outside their enum, const or format', () => {
    const acl = sample('identity', 'BucketAclPut');
    acl.data['acl'] = 'bucket-owner-full-control';
    expect(problems('identity', acl)).toEqual([
      'value/data/acl must be one of ["private","public-read","public-read-write","authenticated-read"]',
    ]);
    const env = sample('bucket', 'BucketDeleted');
    env.data['bucketId'] = 'not-a-uuid';
    expect(problems('bucket', env)).toEqual(['value/data/bucketId must match format "uuid"']);
    const time = sample('bucket', 'BucketDeleted');
    time.time = '2025-03-04T05:06:07+02:00';
    expect(problems('bucket', time, (r) => (r.headers['ce_time'] = time.time))).toEqual([
      expect.stringMatching(/^value\/time must match pattern/),
      expect.stringMatching(/^headers\/ce_time must match pattern/),
    ]);
    const etag = sample('bucket', 'ObjectStored');
    etag.data['etag'] = 'd41d8cd98f00b204e9800998ecf8427e';
    expect(problems('bucket', etag)).toEqual([expect.stringMatching(/^value\/data\/etag must match pattern/)]);
  });

  it('an unknown type or schemaVersion', () => {
    const env = sample('bucket', 'ObjectDeleted');
    env.type = 'ObjectMoved';
    expect(problems('bucket', env)).toEqual(['type "ObjectMoved" has no message in channel bucketEvents']);
    const v = sample('bucket', 'ObjectDeleted');
    v.schemaVersion = 99;
    expect(problems('bucket', v)).toEqual([expect.stringMatching(/^ObjectDeleted schemaVersion 99 has no message in channel bucketEvents/)]);
  });

  it('headers that disagree with the envelope or the key', () => {
    const env = sample('bucket', 'BucketCreated');
    expect(problems('bucket', env, (r) => (r.headers['ce_id'] = '11111111-1111-4111-8111-111111111111'))).toEqual([
      `header ce_id is "11111111-1111-4111-8111-111111111111" but should be "${env.id}"`,
    ]);
    expect(problems('bucket', env, (r) => (r.headers['ce_type'] = 'BucketDeleted'))).toEqual([
      'header ce_type is "BucketDeleted" but should be "BucketCreated"',
    ]);
    expect(problems('bucket', env, (r) => (r.headers['ce_dataschemaversion'] = '2'))).toEqual([
      'header ce_dataschemaversion is "2" but should be "1"',
    ]);
    expect(problems('bucket', env, (r) => (r.headers['ce_subject'] = 'videos'))).toEqual(['header ce_subject is "videos" but should be "photos"']);
    expect(problems('bucket', env, (r) => (r.headers['ce_source'] = '/elsewhere'))).toEqual(['headers/ce_source must be "/sediment"']);
    expect(problems('bucket', env, (r) => delete r.headers['content-type'])).toEqual(['headers lacks required field content-type']);
  });

  it('a record key that is not the envelope bucket or subject', () => {
    const env = sample('bucket', 'ObjectDeleted');
    expect(problems('bucket', env, (r) => (r.key = 'videos'))).toEqual([
      'header ce_subject is "photos" but should be "videos"',
      'the record key (envelope bucket) is "videos" but should be "photos"',
    ]);
    const user = sample('identity', 'UserDeleted');
    expect(problems('identity', user, (r) => (r.key = null))).toEqual(['the record has no key']);
  });

  it('a subject that does not name what the data is about', () => {
    const env = sample('identity', 'UserPolicyPut');
    env['subject'] = 'user/bob';
    expect(problems('identity', env)).toEqual(['envelope subject is "user/bob" but should be "user/alice"']);
    const bucket = sample('identity', 'BucketAclPut');
    bucket['subject'] = 'user/photos';
    expect(problems('identity', bucket)).toEqual([
      expect.stringMatching(/^value\/subject must match pattern/),
      expect.stringMatching(/^key must match pattern/),
      'envelope subject is "user/photos" but should be "bucket/photos"',
    ]);
    const data = sample('bucket', 'BucketCreated');
    data.data['bucket'] = 'videos';
    expect(problems('bucket', data)).toEqual(['envelope bucket is "photos" but should be "videos"']);
  });

  it('a quarantine decision whose subject is not the position it names, or whose reason has a control character', () => {
    const env = sample('control', 'EventQuarantined');
    env['subject'] = 'sediment.bucket-events.v1/3/18';
    expect(problems('control', env)).toEqual(['envelope subject is "sediment.bucket-events.v1/3/18" but should be "sediment.bucket-events.v1/3/17"']);
    const reason = sample('control', 'EventQuarantined');
    reason.data['reason'] = 'line one\nline two';
    expect(problems('control', reason)).toEqual([expect.stringMatching(/^value\/data\/reason must match pattern/)]);
    const hash = sample('control', 'EventQuarantined');
    hash.data['valueSha256'] = 'ABC';
    expect(problems('control', hash)).toEqual(expect.arrayContaining([expect.stringMatching(/^value\/data\/valueSha256 /)]));
  });

  it('a value that is missing, not JSON or not an object', () => {
    const env = sample('bucket', 'BucketCreated');
    expect(problems('bucket', env, (r) => (r.value = null))).toEqual(['the record has no value']);
    expect(problems('bucket', env, (r) => (r.value = '{"type":'))).toEqual(['the value is not JSON: {"type":']);
    expect(problems('bucket', env, (r) => (r.value = '[1]'))).toEqual(['the value is not a JSON object']);
    expect(problems('bucket', env, (r) => (r.value = Buffer.from(JSON.stringify(env))))).toEqual([]);
  });
});

describe('EventContract on an altered document', () => {
  it('knows only the types the document has: a removed message makes its events invalid', () => {
    const doc = document();
    delete doc.channels.bucketEvents.messages.ObjectDeleted;
    const contract = new EventContract(doc);
    expect(contract.validateRecord('bucket', recordOf('bucket', sample('bucket', 'ObjectDeleted')))).toEqual([
      'type "ObjectDeleted" has no message in channel bucketEvents',
    ]);
    expect(contract.validateRecord('bucket', recordOf('bucket', sample('bucket', 'ObjectStored')))).toEqual([]);
  });

  it('picks the message by (type, schemaVersion): a second version is one more message', () => {
    const doc = document();
    const v2 = structuredClone(doc.components.messages.BucketDeleted);
    v2.payload.properties.schemaVersion.const = 2;
    v2.payload.properties.data = { type: 'object', additionalProperties: false, required: ['bucket'], properties: { bucket: { type: 'string' } } };
    doc.channels.bucketEvents.messages.BucketDeletedV2 = v2;
    const contract = new EventContract(doc);
    const env = sample('bucket', 'BucketDeleted');
    expect(contract.validateRecord('bucket', recordOf('bucket', env))).toEqual([]);
    const second = { ...env, schemaVersion: 2, data: { bucket: 'photos' } };
    expect(contract.validateRecord('bucket', recordOf('bucket', second))).toEqual([]);
    expect(contract.validateRecord('bucket', recordOf('bucket', { ...second, data: env.data }))).toEqual([
      'value/data has a field the contract does not allow: bucketId',
      'value/data has a field the contract does not allow: deletedAt',
    ]);
  });

  it('refuses a schema with a misspelt keyword instead of accepting everything', () => {
    const doc = document();
    doc.components.schemas.BucketDeletedData.requried = ['bucket'];
    expect(() => new EventContract(doc)).toThrow(/BucketDeleted: its payload schema does not compile: strict mode: unknown keyword: "requried"/);
  });
});
