// Fuzz targets: policy documents (bucket and identity policies) and their evaluation against
// hostile requests (long keys of slashes, long User-Agent and Referer values), and the IAM Query
// API's form bodies.
import fc from 'fast-check';
import { parseIamRequest } from '../../src/s3/iam-query-api/iam-request.parser.js';
import { evaluate, MalformedPolicyError, parsePolicyDocument, type PolicyDocument } from '../../src/policy/index.js';
import { assertCpu, expectRefusedOrStorable, fuzz, FUZZ_TEST_TIMEOUT_MS, mutationsOf } from './fuzz-harness.js';

const BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*/*/*/*.jpg' },
    {
      Effect: 'Deny',
      Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' },
      NotAction: ['s3:Get*', 's3:List?ucket'],
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/${aws:username}/*'],
      Condition: { StringLike: { 'aws:UserAgent': '*curl*', 's3:prefix': ['home/*', ''] }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
  ],
});
const IDENTITY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, Bool: { 'aws:SecureTransport': 'false' } } }],
});

/** A policy parsed, or MalformedPolicyError: the refusal both APIs answer with. */
function parsed(json: string, kind: 'resource' | 'identity'): PolicyDocument | undefined {
  try {
    return parsePolicyDocument(json, kind);
  } catch (error) {
    if (error instanceof MalformedPolicyError) return undefined;
    throw error;
  }
}

const hostileValue = fc.oneof(mutationsOf(['photos/a/b/c.jpg', 'curl/8.0', 'https://example.com/']), fc.constantFrom('/'.repeat(1024), `${'a/'.repeat(500)}x.jpgg`, '*'.repeat(8192), 'a'.repeat(8192)));

describe('fuzz: policies and the IAM Query API', () => {
  it('policy documents are parsed or refused, and evaluation of what parses never fails or stalls', async () => {
    const input = fc.tuple(mutationsOf([BUCKET_POLICY, IDENTITY_POLICY]), fc.constantFrom('resource' as const, 'identity' as const), hostileValue, hostileValue);
    await fuzz(input, ([json, kind, key, agent]) => {
      const started = process.cpuUsage();
      const document = parsed(json, kind);
      if (document) {
        evaluate(
          {
            action: 's3:GetObject',
            resource: `arn:aws:s3:::b/${key}`,
            principal: { arn: 'arn:aws:iam::000000000000:user/alice', anonymous: false },
            context: { 'aws:useragent': agent, 'aws:referer': agent, 'aws:username': 'alice', 'aws:sourceip': '10.1.2.3', 's3:prefix': key },
          },
          kind === 'resource' ? { identity: [], resource: document } : { identity: [document] },
        );
      }
      assertCpu(started);
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('IAM Query API form bodies are parsed or refused with an IAM error', async () => {
    const seeds = [
      'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fdivision%2F',
      `Action=PutUserPolicy&Version=2010-05-08&UserName=alice&PolicyName=read&PolicyDocument=${encodeURIComponent(IDENTITY_POLICY)}`,
      'Action=ListUsers&Version=2010-05-08&PathPrefix=%2F&MaxItems=10&Marker=x',
      'Action=UpdateAccessKey&Version=2010-05-08&UserName=alice&AccessKeyId=AKIAEXAMPLE000000000&Status=Inactive',
    ];
    await fuzz(mutationsOf(seeds), (body) => expectRefusedOrStorable(() => parseIamRequest(body)));
  }, FUZZ_TEST_TIMEOUT_MS);
});
