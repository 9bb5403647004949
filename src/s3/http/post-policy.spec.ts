import { s3ErrorOf } from '../../../test/support/s3-error-of.js';
import { assertFormMeetsPolicy, lengthRangeOf, parsePostPolicy } from './post-policy.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const encode = (document: object) => Buffer.from(JSON.stringify(document)).toString('base64');
const POLICY = parsePostPolicy(
  encode({
    expiration: '2026-12-07T13:00:00.000Z',
    conditions: [{ bucket: 'photos' }, ['starts-with', '$key', 'user/eric/'], ['eq', '$Content-Type', 'image/jpeg'], ['content-length-range', 10, 1000], { 'x-amz-meta-uuid': '42' }],
  }),
);
const form = (extra: Record<string, string> = {}) =>
  new Map(Object.entries({ bucket: 'photos', key: 'user/eric/a.jpg', 'content-type': 'image/jpeg', 'x-amz-meta-uuid': '42', policy: 'p', 'x-amz-signature': 's', ...extra }));

describe('POST policy', () => {
  it('accepts a form that meets every condition (field names compared without case), and reads the length range', () => {
    expect(() => assertFormMeetsPolicy(POLICY, form(), NOW)).not.toThrow();
    expect(lengthRangeOf(POLICY)).toEqual({ min: 10, max: 1000 });
  });

  it('refuses a failed condition, naming it, as S3 does', () => {
    const error = s3ErrorOf(() => assertFormMeetsPolicy(POLICY, form({ key: 'user/bob/a.jpg' }), NOW));
    expect([error.code, error.message]).toEqual(['AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with","$key","user/eric/"]']);
    expect(s3ErrorOf(() => assertFormMeetsPolicy(POLICY, form({ 'content-type': 'image/png' }), NOW)).code).toBe('AccessDenied');
  });

  it('refuses a field no condition covers, but not x-ignore-* fields, the policy or the signature', () => {
    const error = s3ErrorOf(() => assertFormMeetsPolicy(POLICY, form({ 'x-amz-meta-other': '1' }), NOW));
    expect(error.message).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-other');
    expect(() => assertFormMeetsPolicy(POLICY, form({ 'x-ignore-note': 'anything' }), NOW)).not.toThrow();
  });

  it('refuses an expired policy', () => {
    expect(s3ErrorOf(() => assertFormMeetsPolicy(POLICY, form(), new Date('2026-12-07T13:00:01Z'))).message).toBe('Invalid according to Policy: Policy expired.');
  });

  it('takes an expiration in ISO 8601 UTC only, with or without fractions of a second', () => {
    const conditions = [{ bucket: 'b' }];
    for (const good of ['2026-12-07T13:00:00Z', '2026-12-07T13:00:00.123Z']) {
      expect(parsePostPolicy(encode({ expiration: good, conditions })).expiration).toEqual(new Date(good));
    }
    for (const bad of ['2026-12-07 13:00:00.123456+00:00', '2026-12-07T13:00:00+01:00', 'Mon, 07 Dec 2026 13:00:00 GMT', '2026-12-07', 1765112400000]) {
      const error = s3ErrorOf(() => parsePostPolicy(encode({ expiration: bad, conditions })));
      expect({ code: error.code, message: error.message }).toEqual({ code: 'InvalidPolicyDocument', message: `Invalid Policy: Invalid 'expiration' value: '${String(bad)}'` });
    }
  });

  it('refuses a policy that is not one with InvalidPolicyDocument', () => {
    for (const bad of ['not base64 json', encode({ conditions: [] }), encode({ expiration: '2026-12-07T13:00:00Z' }), encode({ expiration: '2026-12-07T13:00:00Z', conditions: [['nope', '$key', 'x']] })]) {
      expect(s3ErrorOf(() => parsePostPolicy(bad)).code).toBe('InvalidPolicyDocument');
    }
  });
});
