import { createHmac } from 'node:crypto';
import { s3ErrorOf } from '../../test/support/s3-error-of.js';
import { verifyPostSignature } from './post-signature.js';

// The example of AWS's "Example: Browser-based upload using HTTP POST (using AWS signature version 4)".
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const lookup = (id: string) => (id === ACCESS_KEY ? SECRET : undefined);
const POLICY =
  'eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9';
const v4 = (signature: string) =>
  new Map([
    ['policy', POLICY],
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
    ['x-amz-credential', `${ACCESS_KEY}/20151229/us-east-1/s3/aws4_request`],
    ['x-amz-date', '20151229T000000Z'],
    ['x-amz-signature', signature],
  ]);

describe('verifyPostSignature', () => {
  it('verifies the SigV4 example of AWS’s documentation', () => {
    const signed = verifyPostSignature(v4('8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e'), lookup, { region: 'us-east-1', sigV2: true });
    expect(signed).toEqual({ accessKeyId: ACCESS_KEY });
  });

  it('refuses another signature, a scope of another region and an unknown key', () => {
    expect(s3ErrorOf(() => verifyPostSignature(v4('0'.repeat(64)), lookup, { region: 'us-east-1', sigV2: true })).code).toBe('SignatureDoesNotMatch');
    expect(s3ErrorOf(() => verifyPostSignature(v4('0'.repeat(64)), lookup, { region: 'eu-west-3', sigV2: true })).code).toBe('AuthorizationQueryParametersError');
    const unknown = v4('0'.repeat(64));
    unknown.set('x-amz-credential', 'AKIAUNKNOWN000000000/20151229/us-east-1/s3/aws4_request');
    expect(s3ErrorOf(() => verifyPostSignature(unknown, lookup, { region: 'us-east-1', sigV2: true })).code).toBe('InvalidAccessKeyId');
  });

  it('verifies SigV2 fields (AWSAccessKeyId, signature) unless SigV2 is off', () => {
    const signature = createHmac('sha1', SECRET).update(POLICY).digest('base64');
    const v2 = new Map([['policy', POLICY], ['awsaccesskeyid', ACCESS_KEY], ['signature', signature]]);
    expect(verifyPostSignature(v2, lookup, { region: 'us-east-1', sigV2: true })).toEqual({ accessKeyId: ACCESS_KEY });
    expect(s3ErrorOf(() => verifyPostSignature(v2, lookup, { region: 'us-east-1', sigV2: false })).code).toBe('InvalidRequest');
  });

  it('takes a form without credentials as anonymous, and refuses a policy without them', () => {
    expect(verifyPostSignature(new Map([['key', 'k']]), lookup, { region: 'us-east-1', sigV2: true })).toBeUndefined();
    expect(s3ErrorOf(() => verifyPostSignature(new Map([['policy', POLICY]]), lookup, { region: 'us-east-1', sigV2: true })).code).toBe('InvalidArgument');
  });
});
