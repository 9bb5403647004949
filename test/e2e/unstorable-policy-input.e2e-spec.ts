// Nothing sent to IAM or to PutBucketPolicy may become an event the read model cannot store
// (issue #10, item 1): PostgreSQL (under FerretDB) refuses U+0000 in a string and a lone
// surrogate has no UTF-8 form. Names and paths are refused with IAM's ValidationError, policy
// documents with MalformedPolicyDocument / MalformedPolicy, and the identity log is untouched.
import { jest } from '@jest/globals';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { iamClient, policy } from '../support/iam-helpers.js';
import { fetchEndOffsets } from '../support/kafka-topic-reader.js';
import { expectSdkError, sdkError } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const NUL = '\u0000';
const READ_ALL = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

let sediment: SedimentUnderTest;
let iam: IAMClient;
let root: S3Client;

beforeAll(async () => {
  sediment = await startSediment();
  root = sediment.s3;
  iam = iamClient(sediment.url);
  await iam.send(new CreateUserCommand({ UserName: 'target' }));
  await root.send(new CreateBucketCommand({ Bucket: 'guarded' }));
});

afterAll(async () => {
  iam?.destroy();
  sediment.s3.destroy();
  await sediment.stop();
}, 30_000);

/** Asserts the IAM call failed with this code (as @aws-sdk/client-iam names it) and status 400. */
async function expectIamError(promise: Promise<unknown>, name: 'ValidationError' | 'MalformedPolicyDocumentException'): Promise<void> {
  const error = await sdkError(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status: 400 });
}

/** Runs `attempts` and checks the identity topic gained no record meanwhile. */
async function recordsNothing(attempts: () => Promise<void>): Promise<void> {
  const before = await fetchEndOffsets(sediment.config.SEDIMENT_IDENTITY_TOPIC);
  await attempts();
  expect(await fetchEndOffsets(sediment.config.SEDIMENT_IDENTITY_TOPIC)).toEqual(before);
}

describe('IAM names and paths with a NUL: 400 ValidationError', () => {
  it.each([
    ['CreateUser, user name', () => iam.send(new CreateUserCommand({ UserName: `a${NUL}b` }))],
    ['CreateUser, path', () => iam.send(new CreateUserCommand({ UserName: 'pathed', Path: `/a${NUL}/` }))],
    ['PutUserPolicy, user name', () => iam.send(new PutUserPolicyCommand({ UserName: `target${NUL}`, PolicyName: 'p', PolicyDocument: policy(READ_ALL) }))],
    ['PutUserPolicy, policy name', () => iam.send(new PutUserPolicyCommand({ UserName: 'target', PolicyName: `p${NUL}`, PolicyDocument: policy(READ_ALL) }))],
    ['PutUserPolicy, a raw NUL in the document', () =>
      iam.send(new PutUserPolicyCommand({ UserName: 'target', PolicyName: 'p', PolicyDocument: policy(READ_ALL).replace('{', `{${NUL}`) }))],
  ])('%s', (_case, send) => recordsNothing(() => expectIamError(send(), 'ValidationError')));
});

describe('policy documents whose JSON escapes decode to what cannot be stored', () => {
  // Each document is fine with `ok` in the marked place; JSON.stringify writes U+0000 and a lone
  // surrogate as the escapes \u0000 and \ud800, so the text sent is plain ASCII.
  const READ = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::guarded/*' };
  const documents: ReadonlyArray<[string, string, (bad: string) => Record<string, unknown>]> = [
    ['\\u0000 in a Sid', NUL, (bad) => ({ ...READ, Sid: `a${bad}b` })],
    ['\\u0000 in a Resource', NUL, (bad) => ({ ...READ, Resource: `arn:aws:s3:::guarded/${bad}` })],
    ['\\u0000 in a condition key', NUL, (bad) => ({ ...READ, Condition: { StringLike: { [`s3:prefix${bad}`]: 'x' } } })],
    ['a lone surrogate \\ud800 in a condition value', '\ud800', (bad) => ({ ...READ, Condition: { StringLike: { 's3:prefix': `x${bad}` } } })],
  ];
  const ok = 'ok';

  it.each(documents)('PutUserPolicy with %s: 400 MalformedPolicyDocument, nothing recorded', async (_case, bad, statement) => {
    const putUserPolicy = (PolicyDocument: string) => iam.send(new PutUserPolicyCommand({ UserName: 'target', PolicyName: 'p', PolicyDocument }));
    await recordsNothing(() => expectIamError(putUserPolicy(policy(statement(bad))), 'MalformedPolicyDocumentException'));
    await putUserPolicy(policy(statement(ok)));
  });

  it.each(documents)('PutBucketPolicy with %s: 400 MalformedPolicy, the previous policy kept', async (_case, bad, statement) => {
    const putBucketPolicy = (text: string) => root.send(new PutBucketPolicyCommand({ Bucket: 'guarded', Policy: text }));
    const previous = policy({ ...statement(ok), Principal: '*' });
    await putBucketPolicy(previous);

    await recordsNothing(async () => {
      await expectSdkError(putBucketPolicy(policy({ ...statement(bad), Principal: '*' })), 400, 'MalformedPolicy');
    });

    expect((await root.send(new GetBucketPolicyCommand({ Bucket: 'guarded' }))).Policy).toBe(previous);
  });
});
