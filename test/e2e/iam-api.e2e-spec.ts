// The IAM Query API through @aws-sdk/client-iam (and raw SigV4-signed POSTs for what the SDK
// cannot send): every operation as AWS documents it, its errors with IAM's codes and statuses,
// who may call it, that no secret reaches Kafka or MongoDB in plaintext, that identities are
// rebuilt from the identity topic, and that the master key is checked at boot.
import { createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { MongoClient } from 'mongodb';
import { ConfigError } from '../../src/config/sediment.config.js';
import { createUserWithKey, iamClient, policy, ROOT } from '../support/iam-helpers.js';
import { fetchEndOffsets, readTopic } from '../support/kafka-topic-reader.js';
import { NodeSha256 } from '../support/node-sha256.js';
import { responseOf, xmlText, type Credentials, type RawResponse } from '../support/raw-s3-request.js';
import { expectSdkError, REQUEST_ID, sdkError } from '../support/s3-api-assertions.js';
import { deleteTopic, MASTER_KEY, MONGO_URL, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const ACCOUNT = '000000000000';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const LIST_BUCKETS = policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' });

/**
 * IAM error codes as @aws-sdk/client-iam reports them: a code the IAM model declares becomes its
 * `…Exception` class (the SDK picks it by the wire <Code>), any other keeps the code as `.name`.
 */
const IAM_ERRORS = {
  NoSuchEntity: { name: 'NoSuchEntityException', status: 404 },
  EntityAlreadyExists: { name: 'EntityAlreadyExistsException', status: 409 },
  DeleteConflict: { name: 'DeleteConflictException', status: 409 },
  LimitExceeded: { name: 'LimitExceededException', status: 409 },
  MalformedPolicyDocument: { name: 'MalformedPolicyDocumentException', status: 400 },
  ValidationError: { name: 'ValidationError', status: 400 },
  AccessDenied: { name: 'AccessDenied', status: 403 },
  InvalidClientTokenId: { name: 'InvalidClientTokenId', status: 403 },
  SignatureDoesNotMatch: { name: 'SignatureDoesNotMatch', status: 403 },
} as const;

/** Asserts that an IAM call failed with this IAM code and its HTTP status. */
async function expectIamError(promise: Promise<unknown>, code: keyof typeof IAM_ERRORS): Promise<void> {
  const error = await sdkError(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual(IAM_ERRORS[code]);
}

const credentialsOf = (key: { AccessKeyId?: string; SecretAccessKey?: string } | undefined): Credentials => ({
  accessKeyId: key!.AccessKeyId!,
  secretAccessKey: key!.SecretAccessKey!,
});

/** A POST / of the IAM Query API, signed for service `iam` with @smithy/signature-v4, sent raw. */
async function rawIam(endpoint: string, params: Record<string, string>, credentials: Credentials = ROOT): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ Version: '2010-05-08', ...params }).toString();
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'iam', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const req = http.request({ hostname: url.hostname, port: url.port, method: 'POST', path: '/', headers: signed.headers, agent: false });
  const response = responseOf(req);
  req.end(body);
  return response;
}

const canListBuckets = (url: string, key: Credentials) => s3Client(url, key).send(new ListBucketsCommand({}));

describe('the IAM Query API', () => {
  let sediment: SedimentUnderTest;
  let iam: IAMClient;

  beforeAll(async () => {
    sediment = await startSediment();
    iam = iamClient(sediment.url);
  }, 60_000);

  afterAll(() => sediment?.stop());

  describe('operations, as AWS documents them', () => {
    it('CreateUser defaults the path to / and names the user by ARN and an AIDA id; GetUser returns the same user', async () => {
      const before = Date.now();
      const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      expect(User).toEqual({
        UserName: 'alice',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
        UserId: expect.stringMatching(/^AIDA[A-Z0-9]{17}$/),
        CreateDate: expect.any(Date),
      });
      expect(Math.abs(User!.CreateDate!.getTime() - before)).toBeLessThan(60_000);

      const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
      expect(got.User).toEqual(User);
    });

    it("GetUser without UserName under the root's credentials describes the root, as IAM does", async () => {
      const { User } = await iam.send(new GetUserCommand({}));
      expect(User).toEqual({ UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    });

    it('ListUsers pages with MaxItems and Marker, in name order, and filters by PathPrefix', async () => {
      const names = ['p-delta', 'p-alpha', 'p-echo', 'p-charlie', 'p-bravo'];
      for (const UserName of names) await iam.send(new CreateUserCommand({ UserName, Path: '/paging/' }));
      await iam.send(new CreateUserCommand({ UserName: 'p-elsewhere', Path: '/other/' }));

      const pages: string[][] = [];
      let Marker: string | undefined;
      for (;;) {
        const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker }));
        pages.push(page.Users!.map((u) => u.UserName!));
        expect(page.IsTruncated).toBe(page.Marker !== undefined);
        if (!page.IsTruncated) break;
        Marker = page.Marker;
      }
      expect(pages).toEqual([['p-alpha', 'p-bravo'], ['p-charlie', 'p-delta'], ['p-echo']]);

      const { Users } = await iam.send(new ListUsersCommand({ PathPrefix: '/other/' }));
      expect(Users).toEqual([
        expect.objectContaining({ UserName: 'p-elsewhere', Path: '/other/', Arn: `arn:aws:iam::${ACCOUNT}:user/other/p-elsewhere` }),
      ]);
      const all = await iam.send(new ListUsersCommand({}));
      expect(all.Users!.map((u) => u.UserName)).toEqual(expect.arrayContaining([...names, 'p-elsewhere', 'alice']));
    });

    it('CreateAccessKey returns an AKIA id and a 40-character secret once; ListAccessKeys never shows it', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'keyholder' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'keyholder', PolicyName: 'list', PolicyDocument: LIST_BUCKETS }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }));
      expect(AccessKey).toEqual({
        UserName: 'keyholder',
        AccessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
        SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
        Status: 'Active',
        CreateDate: expect.any(Date),
      });
      const key = credentialsOf(AccessKey);
      await expect(canListBuckets(sediment.url, key)).resolves.toBeDefined();

      const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'keyholder' }));
      expect(listed.AccessKeyMetadata).toEqual([
        { UserName: 'keyholder', AccessKeyId: key.accessKeyId, Status: 'Active', CreateDate: AccessKey!.CreateDate },
      ]);
      expect(listed.IsTruncated).toBe(false);
      // The SDK would drop an unmodelled SecretAccessKey element: look at the wire.
      const raw = await rawIam(sediment.url, { Action: 'ListAccessKeys', UserName: 'keyholder' });
      expect(raw.status).toBe(200);
      expect(raw.body).toContain(`<AccessKeyId>${key.accessKeyId}</AccessKeyId>`);
      expect(raw.body).not.toContain('SecretAccessKey');
      expect(raw.body).not.toContain(key.secretAccessKey);
    });

    it('UpdateAccessKey Inactive makes S3 refuse the key with 403 InvalidAccessKeyId; Active again lets it in', async () => {
      const key = await createUserWithKey(iam, 'toggler', { list: LIST_BUCKETS });
      await expect(canListBuckets(sediment.url, key)).resolves.toBeDefined();

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
      await expectSdkError(canListBuckets(sediment.url, key), 403, 'InvalidAccessKeyId');
      const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'toggler' }));
      expect(AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Inactive']);

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggler', AccessKeyId: key.accessKeyId, Status: 'Active' }));
      await expect(canListBuckets(sediment.url, key)).resolves.toBeDefined();
    });

    it('DeleteAccessKey: the key stops working and is no longer listed', async () => {
      const key = await createUserWithKey(iam, 'shredder', { list: LIST_BUCKETS });
      await expect(canListBuckets(sediment.url, key)).resolves.toBeDefined();
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'shredder', AccessKeyId: key.accessKeyId }));
      await expectSdkError(canListBuckets(sediment.url, key), 403, 'InvalidAccessKeyId');
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'shredder' }))).AccessKeyMetadata).toEqual([]);
    });

    it('PutUserPolicy, GetUserPolicy (URL-encoded JSON, as IAM returns it), ListUserPolicies, DeleteUserPolicy', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'governed' }));
      const readOnly = policy({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
      });
      await iam.send(new PutUserPolicyCommand({ UserName: 'governed', PolicyName: 'read-only', PolicyDocument: readOnly }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'governed', PolicyName: 'list', PolicyDocument: LIST_BUCKETS }));

      const got = await iam.send(new GetUserPolicyCommand({ UserName: 'governed', PolicyName: 'read-only' }));
      const { $metadata: _metadata, ...body } = got;
      expect(body).toEqual({ UserName: 'governed', PolicyName: 'read-only', PolicyDocument: expect.any(String) });
      // IAM returns the document URL-encoded (RFC 3986); decoded, it is the JSON that was put.
      expect(got.PolicyDocument!.startsWith('%7B')).toBe(true);
      expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(readOnly));

      expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'governed' }))).PolicyNames).toEqual(['list', 'read-only']);
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'governed', PolicyName: 'list' }));
      expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'governed' }))).PolicyNames).toEqual(['read-only']);
      await expectIamError(iam.send(new GetUserPolicyCommand({ UserName: 'governed', PolicyName: 'list' })), 'NoSuchEntity');
    });

    it('DeleteUser removes a user without keys or policies', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'ephemeral' }));
      await iam.send(new DeleteUserCommand({ UserName: 'ephemeral' }));
      await expectIamError(iam.send(new GetUserCommand({ UserName: 'ephemeral' })), 'NoSuchEntity');
      const { Users } = await iam.send(new ListUsersCommand({}));
      expect(Users!.map((u) => u.UserName)).not.toContain('ephemeral');
    });
  });

  describe('errors, with IAM codes and statuses', () => {
    beforeAll(async () => {
      await iam.send(new CreateUserCommand({ UserName: 'errant' }));
    });

    it('NoSuchEntity 404 for an unknown user, access key or policy', async () => {
      const unknownKey = 'AKIAUNKNOWNUNKNOWN00';
      await expectIamError(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity');
      await expectIamError(iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' })), 'NoSuchEntity');
      await expectIamError(iam.send(new DeleteUserCommand({ UserName: 'nobody' })), 'NoSuchEntity');
      await expectIamError(iam.send(new DeleteAccessKeyCommand({ UserName: 'errant', AccessKeyId: unknownKey })), 'NoSuchEntity');
      await expectIamError(
        iam.send(new UpdateAccessKeyCommand({ UserName: 'errant', AccessKeyId: unknownKey, Status: 'Inactive' })),
        'NoSuchEntity',
      );
      await expectIamError(iam.send(new GetUserPolicyCommand({ UserName: 'errant', PolicyName: 'none' })), 'NoSuchEntity');
      await expectIamError(iam.send(new DeleteUserPolicyCommand({ UserName: 'errant', PolicyName: 'none' })), 'NoSuchEntity');
    });

    it('EntityAlreadyExists 409 for a second CreateUser of a name', async () => {
      await expectIamError(iam.send(new CreateUserCommand({ UserName: 'errant' })), 'EntityAlreadyExists');
    });

    it('DeleteConflict 409 while the user has access keys, and while it has policies', async () => {
      const key = await createUserWithKey(iam, 'attached', { list: LIST_BUCKETS });
      await expectIamError(iam.send(new DeleteUserCommand({ UserName: 'attached' })), 'DeleteConflict');
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'attached', AccessKeyId: key.accessKeyId }));
      await expectIamError(iam.send(new DeleteUserCommand({ UserName: 'attached' })), 'DeleteConflict');
      expect((await iam.send(new GetUserCommand({ UserName: 'attached' }))).User?.UserName).toBe('attached');
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'attached', PolicyName: 'list' }));
      await iam.send(new DeleteUserCommand({ UserName: 'attached' }));
    });

    it('LimitExceeded 409 for a third access key, and no third key exists', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'greedy' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'greedy' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'greedy' }));
      await expectIamError(iam.send(new CreateAccessKeyCommand({ UserName: 'greedy' })), 'LimitExceeded');
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'greedy' }))).AccessKeyMetadata).toHaveLength(2);
    });

    it('MalformedPolicyDocument 400 for bad JSON or an unknown Effect, and nothing is recorded', async () => {
      const put = (PolicyName: string, PolicyDocument: string) =>
        iam.send(new PutUserPolicyCommand({ UserName: 'errant', PolicyName, PolicyDocument }));
      const endsBefore = await fetchEndOffsets(sediment.config.SEDIMENT_IDENTITY_TOPIC);

      await expectIamError(put('broken', '{"Version": "2012-10-17", "Statement": ['), 'MalformedPolicyDocument');
      await expectIamError(put('broken', policy({ Effect: 'Maybe', Action: 's3:*', Resource: '*' })), 'MalformedPolicyDocument');
      await expectIamError(iam.send(new GetUserPolicyCommand({ UserName: 'errant', PolicyName: 'broken' })), 'NoSuchEntity');
      expect(await fetchEndOffsets(sediment.config.SEDIMENT_IDENTITY_TOPIC)).toEqual(endsBefore);

      // A bad replacement leaves the previous document in place.
      await put('kept', LIST_BUCKETS);
      await expectIamError(put('kept', policy({ Effect: 'Perhaps', Action: 's3:*', Resource: '*' })), 'MalformedPolicyDocument');
      const { PolicyDocument } = await iam.send(new GetUserPolicyCommand({ UserName: 'errant', PolicyName: 'kept' }));
      expect(JSON.parse(decodeURIComponent(PolicyDocument!))).toEqual(JSON.parse(LIST_BUCKETS));
    });

    it('ValidationError 400 for a user name with a space', async () => {
      await expectIamError(iam.send(new CreateUserCommand({ UserName: 'bad name' })), 'ValidationError');
      await expectIamError(iam.send(new GetUserCommand({ UserName: 'bad name' })), 'ValidationError');
    });

    it("InvalidAction 400 for Action=Nope, in IAM's ErrorResponse XML with a RequestId", async () => {
      const res = await rawIam(sediment.url, { Action: 'Nope' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/xml');
      const start = `^(<\\?xml[^>]*\\?>\\s*)?<ErrorResponse xmlns="${IAM_NS}">\\s*<Error>\\s*`;
      expect(res.body).toMatch(new RegExp(`${start}<Type>Sender</Type>\\s*<Code>InvalidAction</Code>\\s*<Message>[^<]+</Message>`));
      expect(xmlText(res.body, 'RequestId')).toMatch(REQUEST_ID);
      expect(xmlText(res.body, 'RequestId')).toBe(res.headers['x-amz-request-id']);
    });

    it('InvalidClientTokenId 403 for an unknown access key, SignatureDoesNotMatch 403 for a wrong secret', async () => {
      const stranger = iamClient(sediment.url, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) });
      await expectIamError(stranger.send(new ListUsersCommand({})), 'InvalidClientTokenId');
      const forger = iamClient(sediment.url, { accessKeyId: ROOT.accessKeyId, secretAccessKey: 'not-the-root-secret' });
      await expectIamError(forger.send(new CreateUserCommand({ UserName: 'forged' })), 'SignatureDoesNotMatch');
      await expectIamError(iam.send(new GetUserCommand({ UserName: 'forged' })), 'NoSuchEntity');
    });
  });

  describe('who may manage identities', () => {
    it('a user without iam permissions gets 403 AccessDenied on CreateUser, and no user is created', async () => {
      const key = await createUserWithKey(iam, 's3-only', { list: LIST_BUCKETS });
      const asUser = iamClient(sediment.url, key);
      await expectIamError(asUser.send(new CreateUserCommand({ UserName: 'by-s3-only' })), 'AccessDenied');
      await expectIamError(iam.send(new GetUserCommand({ UserName: 'by-s3-only' })), 'NoSuchEntity');
    });

    it('a user allowed iam:* creates users and their keys, recorded as its own doing', async () => {
      const key = await createUserWithKey(iam, 'iam-admin', { admin: policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) });
      const asAdmin = iamClient(sediment.url, key);
      const { User } = await asAdmin.send(new CreateUserCommand({ UserName: 'by-admin' }));
      await asAdmin.send(new PutUserPolicyCommand({ UserName: 'by-admin', PolicyName: 'list', PolicyDocument: LIST_BUCKETS }));
      const { AccessKey } = await asAdmin.send(new CreateAccessKeyCommand({ UserName: 'by-admin' }));
      expect(AccessKey?.UserName).toBe('by-admin');
      await expect(canListBuckets(sediment.url, credentialsOf(AccessKey))).resolves.toBeDefined();

      const created = (await readTopic(sediment.config.SEDIMENT_IDENTITY_TOPIC))
        .map((r) => r.value as { type: string; subject: string; principal: unknown })
        .find((e) => e.type === 'UserCreated' && e.subject === 'user/by-admin');
      expect(created?.principal).toEqual({ accessKeyId: key.accessKeyId, arn: `arn:aws:iam::${ACCOUNT}:user/iam-admin` });
      expect((await iam.send(new GetUserCommand({ UserName: 'by-admin' }))).User).toEqual(User);
    });

    it('a user allowed iam:CreateAccessKey on its own ARN (${aws:username}) creates its own key, not another user\'s', async () => {
      const ownKeys = policy({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` });
      const key = await createUserWithKey(iam, 'self-service', { own: ownKeys });
      await iam.send(new CreateUserCommand({ UserName: 'bystander' }));
      const asSelf = iamClient(sediment.url, key);

      const { AccessKey } = await asSelf.send(new CreateAccessKeyCommand({}));
      expect(AccessKey).toEqual(expect.objectContaining({ UserName: 'self-service', Status: 'Active' }));
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'self-service' }))).AccessKeyMetadata).toHaveLength(2);

      await expectIamError(asSelf.send(new CreateAccessKeyCommand({ UserName: 'bystander' })), 'AccessDenied');
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'bystander' }))).AccessKeyMetadata).toEqual([]);
    });
  });

  describe('no secret in plaintext', () => {
    it('neither the identity topic nor the database holds the secret; the topic holds the events in order, enveloped', async () => {
      // when: a user, its key and its policy are created, in this order
      await iam.send(new CreateUserCommand({ UserName: 'sealed' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'sealed' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'sealed', PolicyName: 'list', PolicyDocument: LIST_BUCKETS }));
      const key = credentialsOf(AccessKey);
      const forms = [
        key.secretAccessKey,
        Buffer.from(key.secretAccessKey).toString('base64'),
        Buffer.from(key.secretAccessKey, 'base64').toString('hex'),
      ];

      const records = await readTopic(sediment.config.SEDIMENT_IDENTITY_TOPIC);
      const wire = JSON.stringify(records);
      const collections = await sediment.db.listCollections().toArray();
      expect(collections.map((c) => c.name)).toContain('identities');
      const stored = JSON.stringify(await Promise.all(collections.map((c) => sediment.db.collection(c.name).find({}).toArray())));
      for (const form of forms) {
        expect(wire).not.toContain(form);
        expect(stored).not.toContain(form);
      }

      // What is stored is AES-256-GCM under the master key, bound to the key id: it opens to the secret.
      const doc = await sediment.db.collection('identities').findOne({ _id: `accessKey:${key.accessKeyId}` as never });
      expect(doc).toMatchObject({ kind: 'accessKey', userName: 'sealed', status: 'Active' });
      const sealed = doc!.secret as { alg: string; keyId: string; iv: string; ciphertext: string; tag: string };
      const text = expect.any(String);
      expect(sealed).toEqual({ alg: 'AES-256-GCM', keyId: text, iv: text, ciphertext: text, tag: text });
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(MASTER_KEY, 'base64'), Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(key.accessKeyId));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const opened = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
      expect(opened.toString()).toBe(key.secretAccessKey);

      const mine = records.filter((r) => r.key === 'user/sealed');
      expect(mine.map((r) => (r.value as { type: string }).type)).toEqual(['UserCreated', 'AccessKeyCreated', 'UserPolicyPut']);
      for (const r of mine) {
        const env = r.value as Record<string, unknown>;
        expect(Object.keys(env).sort()).toEqual(['data', 'id', 'principal', 'schemaVersion', 'subject', 'time', 'type']);
        expect(env).toMatchObject({
          id: expect.any(String),
          // v2: events about users name the user's account (ADR 0024).
          schemaVersion: 2,
          time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          principal: { accessKeyId: ROOT.accessKeyId, arn: `arn:aws:iam::${ACCOUNT}:root` },
          subject: 'user/sealed',
          data: expect.objectContaining({ accountId: ACCOUNT, userName: 'sealed' }),
        });
      }
      expect(new Set(mine.map((r) => (r.value as { id: string }).id)).size).toBe(3);
      expect((mine[1]!.value as { data: { secret: unknown } }).data.secret).toEqual(sealed);
    });
  });
});

/** A service on a database, topics and blob directory of its own, to stop and start again on them. */
function restartable(prefix: string) {
  const id = randomBytes(5).toString('hex');
  const state = {
    overrides: {} as Record<string, string>,
    sediment: undefined as SedimentUnderTest | undefined,
    async setUp() {
      state.overrides = {
        MONGO_DATABASE: `e2e_${prefix}_${id}`,
        SEDIMENT_BUCKET_TOPIC: `e2e.${prefix}.bucket-events.${id}`,
        SEDIMENT_IDENTITY_TOPIC: `e2e.${prefix}.identity-events.${id}`,
        SEDIMENT_BLOB_DIR: await mkdtemp(join(tmpdir(), `sediment-${prefix}-`)),
      };
      state.sediment = await startSediment(state.overrides);
    },
    async tearDown() {
      // The last stop drops the database and topics; after a failed restart, do it here.
      if (state.sediment) await state.sediment.stop();
      else if (state.overrides.MONGO_DATABASE) {
        const mongo = await new MongoClient(MONGO_URL).connect();
        await mongo.db(state.overrides.MONGO_DATABASE).dropDatabase().catch(() => undefined);
        await mongo.close();
        await deleteTopic(state.overrides.SEDIMENT_BUCKET_TOPIC!);
        await deleteTopic(state.overrides.SEDIMENT_IDENTITY_TOPIC!);
      }
      if (state.overrides.SEDIMENT_BLOB_DIR) await rm(state.overrides.SEDIMENT_BLOB_DIR, { recursive: true, force: true });
    },
  };
  return state;
}

describe('replay of the identity topic', () => {
  const service = restartable('iamreplay');
  const bucket = 'replay-iam';
  let key: Credentials;

  beforeAll(() => service.setUp(), 60_000);
  afterAll(() => service.tearDown(), 60_000);

  it('rebuilds users, keys and policies from the log: the key still signs, the policy still limits', async () => {
    const live = service.sediment!;
    const iam = iamClient(live.url);
    await live.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await live.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'report.txt', Body: 'quarterly numbers' }));
    key = await createUserWithKey(iam, 'reader', {
      'read-bucket': policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }),
    });
    const asReader = s3Client(live.url, key);
    await expect(asReader.send(new GetObjectCommand({ Bucket: bucket, Key: 'report.txt' }))).resolves.toBeDefined();
    await expectSdkError(asReader.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: 'x' })), 403, 'AccessDenied');
    const before = await live.db.collection('identities').find({}).sort({ _id: 1 }).toArray();
    expect(before.map((d) => d._id)).toEqual([`accessKey:${key.accessKeyId}`, 'user:reader', 'userPolicy:reader/read-bucket']);

    // given: the identity read model and its checkpoints are gone, the log is intact
    await live.stop({ keepData: true });
    service.sediment = undefined;
    const mongo = await new MongoClient(MONGO_URL).connect();
    const db = mongo.db(service.overrides.MONGO_DATABASE);
    await db.collection('identities').drop();
    // One partition, one identity checkpoint; the bucket projection keeps its own.
    expect((await db.collection('projection_checkpoints').deleteMany({ projection: 'identity' })).deletedCount).toBe(1);
    expect(await db.collection('identities').countDocuments()).toBe(0);
    expect(await db.collection('projection_checkpoints').countDocuments({ projection: 'bucket-metadata' })).toBeGreaterThan(0);
    await mongo.close();

    // when: the service starts on the same topics, database and blobs
    const rebuilt = await startSediment(service.overrides);
    service.sediment = rebuilt;

    // then: everything is back, exactly as it was
    expect(await rebuilt.db.collection('identities').find({}).sort({ _id: 1 }).toArray()).toEqual(before);
    const iamAgain = iamClient(rebuilt.url);
    expect((await iamAgain.send(new GetUserCommand({ UserName: 'reader' }))).User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/reader`);
    const { AccessKeyMetadata } = await iamAgain.send(new ListAccessKeysCommand({ UserName: 'reader' }));
    expect(AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([[key.accessKeyId, 'Active']]);
    const { PolicyDocument } = await iamAgain.send(new GetUserPolicyCommand({ UserName: 'reader', PolicyName: 'read-bucket' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Action).toBe('s3:GetObject');

    const readerAgain = s3Client(rebuilt.url, key);
    const got = await readerAgain.send(new GetObjectCommand({ Bucket: bucket, Key: 'report.txt' }));
    expect(await got.Body!.transformToString()).toBe('quarterly numbers');
    await expectSdkError(readerAgain.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: 'x' })), 403, 'AccessDenied');
  });
});

describe('the master key at boot', () => {
  const service = restartable('iammaster');
  let key: Credentials;

  beforeAll(async () => {
    await service.setUp();
    key = await createUserWithKey(iamClient(service.sediment!.url), 'sealed-user', { list: LIST_BUCKETS });
    await service.sediment!.stop({ keepData: true });
    service.sediment = undefined;
  }, 60_000);
  afterAll(() => service.tearDown(), 60_000);

  it('refuses to start under another master key than the one the stored secrets were sealed with', async () => {
    const otherKey = Buffer.alloc(32, 0x17).toString('base64');
    const boot = startSediment({ ...service.overrides, SEDIMENT_MASTER_KEY: otherKey });
    await expect(boot).rejects.toBeInstanceOf(ConfigError);
    await expect(boot).rejects.toThrow(/SEDIMENT_MASTER_KEY/);
  });

  it('starts under the right master key, and the stored key still signs', async () => {
    service.sediment = await startSediment(service.overrides);
    await expect(canListBuckets(service.sediment.url, key)).resolves.toBeDefined();
  });
});
