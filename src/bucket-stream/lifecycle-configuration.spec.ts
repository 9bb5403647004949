import { S3Error } from '../errors/s3.error.js';
import {
  afterDays,
  assertValidLifecycleConfiguration,
  currentVersionExpiration,
  ruleApplies,
  uploadAbortAt,
  type LifecycleRule,
} from './lifecycle-configuration.js';

const DAY = 86_400_000;
const rule = (fields: Partial<LifecycleRule> = {}): LifecycleRule => ({ id: 'r', status: 'Enabled', filter: {}, expiration: { days: 1 }, ...fields });

const refusal = (rules: LifecycleRule[]): { code: string; message: string } | undefined => {
  try {
    assertValidLifecycleConfiguration({ rules });
  } catch (error) {
    if (error instanceof S3Error) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
};

describe('lifecycle configuration rules (S3’s refusals)', () => {
  it('takes rules with each action, and up to 1,000 rules', () => {
    expect(refusal([rule(), rule({ id: 'n', expiration: undefined, noncurrentVersionExpiration: { noncurrentDays: 3, newerNoncurrentVersions: 2 } })])).toBeUndefined();
    expect(refusal([rule({ expiration: { expiredObjectDeleteMarker: true } }), rule({ id: 'a', expiration: undefined, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })])).toBeUndefined();
    expect(refusal(Array.from({ length: 1000 }, (_, i) => rule({ id: `r${i}` })))).toBeUndefined();
    expect(refusal(Array.from({ length: 1001 }, (_, i) => rule({ id: `r${i}` })))?.code).toBe('InvalidRequest');
  });
  it('refuses a rule without an action, as S3 words it', () => {
    expect(refusal([rule({ expiration: undefined })])).toEqual({ code: 'InvalidRequest', message: 'At least one action needs to be specified in a rule' });
  });
  it('refuses duplicate and over-long IDs with InvalidArgument', () => {
    expect(refusal([rule(), rule()])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ id: 'x'.repeat(256) })])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ id: 'x'.repeat(255) })])).toBeUndefined();
  });
  it('refuses Days that are not positive, and a Date that is not midnight UTC', () => {
    expect(refusal([rule({ expiration: { days: 0 } })])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ expiration: { date: '2030-01-01T10:00:00.000Z' } })])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ expiration: { date: '2030-01-01T00:00:00.000Z' } })])).toBeUndefined();
    expect(refusal([rule({ noncurrentVersionExpiration: { noncurrentDays: -1 } })])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ noncurrentVersionExpiration: { noncurrentDays: 1, newerNoncurrentVersions: 101 } })])?.code).toBe('InvalidArgument');
  });
  it('refuses ExpiredObjectDeleteMarker with Days, and AbortIncompleteMultipartUpload or ExpiredObjectDeleteMarker with a tag filter', () => {
    expect(refusal([rule({ expiration: { days: 1, expiredObjectDeleteMarker: true } })])?.code).toBe('InvalidRequest');
    const tagged = { tags: [{ key: 'k', value: 'v' }] };
    expect(refusal([rule({ filter: tagged, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } })])?.code).toBe('InvalidRequest');
    expect(refusal([rule({ filter: tagged, expiration: { expiredObjectDeleteMarker: true } })])?.code).toBe('InvalidRequest');
    expect(refusal([rule({ filter: tagged })])).toBeUndefined();
  });
  it('refuses size bounds that select nothing and duplicate tag keys', () => {
    expect(refusal([rule({ filter: { objectSizeGreaterThan: 10, objectSizeLessThan: 10 } })])?.code).toBe('InvalidArgument');
    expect(refusal([rule({ filter: { tags: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] } })])?.code).toBe('InvalidRequest');
  });
});

describe('lifecycle evaluation', () => {
  it('counts Days from creation and rounds up to the next day boundary (midnight UTC for a real day)', () => {
    // S3's own example: created 2014-01-15 10:30 UTC with Days 3 expires 2014-01-19 00:00 UTC.
    expect(afterDays(new Date('2014-01-15T10:30:00Z'), 3, DAY).toISOString()).toBe('2014-01-19T00:00:00.000Z');
    expect(afterDays(new Date('2014-01-15T00:00:00Z'), 1, DAY).toISOString()).toBe('2014-01-16T00:00:00.000Z');
    // A two-second "day": the next multiple of two seconds since the epoch.
    expect(afterDays(new Date('2014-01-15T10:30:01.500Z'), 1, 2000).toISOString()).toBe('2014-01-15T10:30:04.000Z');
  });
  it('selects objects by prefix, every tag of the filter, and strict size bounds; never while Disabled', () => {
    const object = { key: 'logs/a', size: 100, tags: [{ key: 't', value: '1' }, { key: 'u', value: '2' }] };
    expect(ruleApplies(rule({ filter: { prefix: 'logs/' } }), object)).toBe(true);
    expect(ruleApplies(rule({ filter: { prefix: 'tmp/' } }), object)).toBe(false);
    expect(ruleApplies(rule({ filter: { tags: [{ key: 't', value: '1' }] } }), object)).toBe(true);
    expect(ruleApplies(rule({ filter: { tags: [{ key: 't', value: '1' }, { key: 'v', value: '3' }] } }), object)).toBe(false);
    expect(ruleApplies(rule({ filter: { objectSizeGreaterThan: 99, objectSizeLessThan: 101 } }), object)).toBe(true);
    expect(ruleApplies(rule({ filter: { objectSizeGreaterThan: 100 } }), object)).toBe(false);
    expect(ruleApplies(rule({ filter: { objectSizeGreaterThan: 0 } }), { key: 'marker' })).toBe(false);
    expect(ruleApplies(rule({ status: 'Disabled' }), object)).toBe(false);
  });
  it('names the earliest Days or Date rule that expires a current version (x-amz-expiration)', () => {
    const createdAt = new Date('2026-12-01T12:00:00Z');
    const configuration = {
      rules: [
        rule({ id: 'late', expiration: { days: 30 } }),
        rule({ id: 'soon', expiration: { date: '2026-12-10T00:00:00.000Z' } }),
        rule({ id: 'other', filter: { prefix: 'x/' }, expiration: { days: 1 } }),
        rule({ id: 'markers', expiration: { expiredObjectDeleteMarker: true } }),
      ],
    };
    expect(currentVersionExpiration(configuration, { key: 'k', size: 1, createdAt }, DAY)).toEqual({ at: new Date('2026-12-10T00:00:00.000Z'), ruleId: 'soon' });
    expect(currentVersionExpiration(undefined, { key: 'k', createdAt }, DAY)).toBeUndefined();
  });
  it('dates an upload’s abort from its initiation by the prefix of the rule', () => {
    const configuration = { rules: [rule({ id: 'mpu', filter: { prefix: 'up/' }, expiration: undefined, abortIncompleteMultipartUpload: { daysAfterInitiation: 2 } })] };
    expect(uploadAbortAt(configuration, { key: 'up/1', initiatedAt: new Date('2026-12-01T12:00:00Z') }, DAY)).toEqual({ at: new Date('2026-12-04T00:00:00.000Z'), ruleId: 'mpu' });
    expect(uploadAbortAt(configuration, { key: 'other', initiatedAt: new Date('2026-12-01T12:00:00Z') }, DAY)).toBeUndefined();
  });
});
