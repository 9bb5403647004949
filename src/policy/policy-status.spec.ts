import { parsePolicyDocument } from './policy-document.js';
import { isPublicPolicy } from './policy-status.js';

const policy = (...statements: object[]) => parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'resource');
const READ_ALL = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' };

describe('isPublicPolicy (GetBucketPolicyStatus)', () => {
  it('calls a grant to everyone public, whichever way everyone is written', () => {
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: '*' }))).toBe(true);
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: { AWS: '*' } }))).toBe(true);
  });

  it('does not call a grant to a named principal, or a Deny to everyone, public', () => {
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' } }))).toBe(false);
    expect(isPublicPolicy(policy({ ...READ_ALL, Effect: 'Deny', Principal: '*' }))).toBe(false);
  });

  it('does not call a grant to everyone limited to fixed addresses or accounts public, but one open to any address is', () => {
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))).toBe(false);
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }))).toBe(false);
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))).toBe(true);
    expect(isPublicPolicy(policy({ ...READ_ALL, Principal: '*', Condition: { StringLike: { 's3:prefix': 'public/*' } } }))).toBe(true);
  });
});
