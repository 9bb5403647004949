import { expirationHeaderValue, headerSafeRuleId } from './expiration-header.js';

describe('x-amz-expiration', () => {
  it('names the day the earliest Days or Date rule expires the object, and the rule, URL-encoded', () => {
    const configuration = {
      rules: [
        { id: 'month', status: 'Enabled' as const, filter: {}, expiration: { days: 30 } },
        { id: 'three days', status: 'Enabled' as const, filter: { prefix: 'tmp/' }, expiration: { days: 3 } },
      ],
    };
    const createdAt = new Date('2012-12-20T10:00:00Z');
    expect(expirationHeaderValue(configuration, { key: 'tmp/a', size: 1, createdAt }, 86_400_000)).toBe(
      'expiry-date="Mon, 24 Dec 2012 00:00:00 GMT", rule-id="three%20days"',
    );
    expect(expirationHeaderValue(configuration, { key: 'b', size: 1, createdAt }, 86_400_000)).toBe('expiry-date="Sun, 20 Jan 2013 00:00:00 GMT", rule-id="month"');
    expect(expirationHeaderValue(undefined, { key: 'b', createdAt }, 86_400_000)).toBeUndefined();
  });

  it('sends x-amz-abort-rule-id as is when a header can hold it, URL-encoded otherwise', () => {
    expect(headerSafeRuleId('abort uploads')).toBe('abort uploads');
    expect(headerSafeRuleId('été')).toBe('%C3%A9t%C3%A9');
  });
});
