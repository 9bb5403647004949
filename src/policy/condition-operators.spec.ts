import {
  evaluateCondition,
  evaluateConditions,
  parseConditionOperator,
  parseDate,
  substituteVariables,
  validateConditionValues,
  variablesOf,
  type ConditionContext,
  type PolicyCondition,
} from './condition-operators.js';
import { wildcardMatches } from './wildcard.js';

const cond = (operator: string, key: string, values: string | string[]): PolicyCondition => {
  const parsed = parseConditionOperator(operator);
  if (!parsed) throw new Error(`unknown operator ${operator}`);
  return { ...parsed, operator, key: key.toLowerCase(), values: Array.isArray(values) ? values : [values] };
};
const given = (operator: string, key: string, values: string | string[]) => ({
  when: (context: ConditionContext) => ({
    then: (expected: boolean) => expect(evaluateCondition(cond(operator, key, values), context)).toBe(expected),
  }),
});

describe('condition operators', () => {
  describe('parsing operator names', () => {
    it.each([
      ['StringEquals', { base: 'StringEquals', ifExists: false }],
      ['StringLikeIfExists', { base: 'StringLike', ifExists: true }],
      ['ForAnyValue:StringEquals', { base: 'StringEquals', qualifier: 'ForAnyValue', ifExists: false }],
      ['ForAllValues:StringNotLikeIfExists', { base: 'StringNotLike', qualifier: 'ForAllValues', ifExists: true }],
      ['Null', { base: 'Null', ifExists: false }],
    ])('knows %s', (name, expected) => expect(parseConditionOperator(name)).toEqual(expected));
    it.each(['StringEqual', 'stringequals', 'NullIfExists', 'ForAnyValue:Null', 'ForSomeValues:StringEquals', 'ArnLike', 'BinaryEquals'])(
      'rejects %s',
      (name) => expect(parseConditionOperator(name)).toBeUndefined(),
    );
  });

  describe('validating policy values', () => {
    it.each([
      ['NumericEquals', 'ten'], ['DateLessThan', 'tomorrow'], ['Bool', 'yes'], ['Null', '1'],
      ['IpAddress', '10.0.0.0/33'], ['NotIpAddress', 'not-an-ip'], ['IpAddress', '2001:db8::/129'],
    ] as const)('%s refuses "%s"', (op, v) => expect(validateConditionValues(op, [v])).toBeDefined());
    it.each([
      ['NumericEquals', '-1.5'], ['DateLessThan', '2026-01-01T00:00:00Z'], ['DateLessThan', '1700000000'],
      ['Bool', 'TRUE'], ['Null', 'false'], ['IpAddress', '192.0.2.0/24'], ['IpAddress', '2001:db8::/32'], ['IpAddress', '192.0.2.7'],
    ] as const)('%s accepts "%s"', (op, v) => expect(validateConditionValues(op, [v])).toBeUndefined());
  });

  describe('String', () => {
    it('StringEquals is case-sensitive and ORs values', () => {
      given('StringEquals', 's3:x-amz-acl', ['private', 'public-read']).when({ 's3:x-amz-acl': 'public-read' }).then(true);
      given('StringEquals', 's3:x-amz-acl', 'private').when({ 's3:x-amz-acl': 'PRIVATE' }).then(false);
    });
    it('looks keys up case-insensitively', () =>
      given('StringEquals', 'aws:UserName', 'alice').when({ 'aws:username': 'alice' }).then(true));
    it('StringNotEquals matches when the value equals none of them', () => {
      given('StringNotEquals', 's3:x-amz-acl', ['private', 'public-read']).when({ 's3:x-amz-acl': 'authenticated-read' }).then(true);
      given('StringNotEquals', 's3:x-amz-acl', ['private', 'public-read']).when({ 's3:x-amz-acl': 'private' }).then(false);
    });
    it('IgnoreCase variants fold case', () => {
      given('StringEqualsIgnoreCase', 'aws:username', 'Alice').when({ 'aws:username': 'ALICE' }).then(true);
      given('StringNotEqualsIgnoreCase', 'aws:username', 'Alice').when({ 'aws:username': 'alice' }).then(false);
      given('StringNotEqualsIgnoreCase', 'aws:username', 'Alice').when({ 'aws:username': 'bob' }).then(true);
    });
    it('StringLike globs with * and ?', () => {
      given('StringLike', 's3:prefix', ['home/*', '']).when({ 's3:prefix': 'home/alice/' }).then(true);
      given('StringLike', 's3:prefix', 'log-????').when({ 's3:prefix': 'log-2026' }).then(true);
      given('StringLike', 's3:prefix', 'log-????').when({ 's3:prefix': 'log-26' }).then(false);
      given('StringLike', 's3:prefix', 'a.b').when({ 's3:prefix': 'axb' }).then(false);
      given('StringNotLike', 's3:prefix', 'private/*').when({ 's3:prefix': 'public/x' }).then(true);
      given('StringNotLike', 's3:prefix', 'private/*').when({ 's3:prefix': 'private/x' }).then(false);
    });
    it('substitutes policy variables', () => {
      given('StringLike', 's3:prefix', 'home/${aws:username}/*').when({ 's3:prefix': 'home/alice/a', 'aws:username': 'alice' }).then(true);
      given('StringLike', 's3:prefix', 'home/${aws:username}/*').when({ 's3:prefix': 'home/bob/a', 'aws:username': 'alice' }).then(false);
      given('StringEquals', 's3:prefix', '${aws:username}').when({ 's3:prefix': 'alice' }).then(false);
    });
    it('leaves ${…} literal in 2008-10-17 policies', () => {
      const c = { ...cond('StringEquals', 's3:prefix', '${aws:username}'), noVariables: true };
      expect(evaluateCondition(c, { 's3:prefix': '${aws:username}', 'aws:username': 'alice' })).toBe(true);
    });
  });

  describe('Numeric', () => {
    it.each([
      ['NumericEquals', '10', '10', true], ['NumericEquals', '10', '10.0', true], ['NumericEquals', '10', '11', false],
      ['NumericNotEquals', '10', '11', true], ['NumericNotEquals', '10', '10', false],
      ['NumericLessThan', '10', '9', true], ['NumericLessThan', '10', '10', false],
      ['NumericLessThanEquals', '10', '10', true], ['NumericLessThanEquals', '10', '11', false],
      ['NumericGreaterThan', '10', '11', true], ['NumericGreaterThan', '10', '10', false],
      ['NumericGreaterThanEquals', '10', '10', true], ['NumericGreaterThanEquals', '10', '9', false],
      ['NumericLessThan', '10', 'abc', false],
    ])('%s %s with s3:max-keys=%s is %s', (op, policy, actual, expected) =>
      given(op, 's3:max-keys', policy).when({ 's3:max-keys': actual }).then(expected));
  });

  describe('Date', () => {
    const now = '2026-11-27T10:00:00Z';
    it.each([
      ['DateEquals', '2026-11-27T10:00:00Z', true], ['DateEquals', '2026-11-27T10:00:00.000+00:00', true],
      ['DateNotEquals', '2026-11-27T10:00:00Z', false], ['DateNotEquals', '2026-11-27T11:00:00Z', true],
      ['DateLessThan', '2026-12-01', true], ['DateLessThan', '2026-11-27T10:00:00Z', false],
      ['DateLessThanEquals', '2026-11-27T10:00:00Z', true], ['DateGreaterThan', '2026-01-01T00:00:00Z', true],
      ['DateGreaterThan', '2027-01-01T00:00:00Z', false], ['DateGreaterThanEquals', '2026-11-27T10:00:00Z', true],
      ['DateLessThan', String(Date.parse('2026-12-01T00:00:00Z') / 1000), true],
      ['DateGreaterThan', String(Date.parse('2026-12-01T00:00:00Z') / 1000), false],
    ])('%s %s is %s at 2026-11-27T10:00Z', (op, policy, expected) =>
      given(op, 'aws:CurrentTime', policy).when({ 'aws:currenttime': now }).then(expected));
    it('reads epoch seconds on the request side too', () =>
      given('DateEquals', 'aws:EpochTime', now).when({ 'aws:epochtime': String(Date.parse(now) / 1000) }).then(true));
    it('parses ISO 8601 and epoch seconds only', () => {
      expect(parseDate('1700000000')).toBe(1_700_000_000_000);
      expect(parseDate('Tue, 01 Dec 2026 00:00:00 GMT')).toBeUndefined();
    });
  });

  describe('Bool', () => {
    it('compares true/false case-insensitively', () => {
      given('Bool', 'aws:SecureTransport', 'false').when({ 'aws:securetransport': 'false' }).then(true);
      given('Bool', 'aws:SecureTransport', 'false').when({ 'aws:securetransport': 'TRUE' }).then(false);
      given('Bool', 'aws:SecureTransport', 'true').when({ 'aws:securetransport': 'True' }).then(true);
    });
  });

  describe('IpAddress / NotIpAddress', () => {
    it('matches IPv4 CIDRs and single addresses', () => {
      given('IpAddress', 'aws:SourceIp', '192.0.2.0/24').when({ 'aws:sourceip': '192.0.2.44' }).then(true);
      given('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.0.2.0/24']).when({ 'aws:sourceip': '10.1.2.3' }).then(true);
      given('IpAddress', 'aws:SourceIp', '192.0.2.0/24').when({ 'aws:sourceip': '192.0.3.1' }).then(false);
      given('IpAddress', 'aws:SourceIp', '203.0.113.9').when({ 'aws:sourceip': '203.0.113.9' }).then(true);
      given('IpAddress', 'aws:SourceIp', '0.0.0.0/0').when({ 'aws:sourceip': 'garbage' }).then(false);
    });
    it('matches IPv6 CIDRs', () => {
      given('IpAddress', 'aws:SourceIp', '2001:db8:1234::/48').when({ 'aws:sourceip': '2001:db8:1234:ffff::1' }).then(true);
      given('IpAddress', 'aws:SourceIp', '2001:db8:1234::/48').when({ 'aws:sourceip': '2001:db8:1235::1' }).then(false);
      given('IpAddress', 'aws:SourceIp', '2001:db8::/32').when({ 'aws:sourceip': '192.0.2.1' }).then(false);
    });
    it('matches IPv4-mapped IPv6 peers (dual-stack sockets) against IPv4 ranges', () => {
      given('IpAddress', 'aws:SourceIp', '192.0.2.0/24').when({ 'aws:sourceip': '::ffff:192.0.2.5' }).then(true);
      given('NotIpAddress', 'aws:SourceIp', '192.0.2.0/24').when({ 'aws:sourceip': '::ffff:192.0.2.5' }).then(false);
    });
    it('NotIpAddress matches outside every range', () => {
      given('NotIpAddress', 'aws:SourceIp', ['192.0.2.0/24', '10.0.0.0/8']).when({ 'aws:sourceip': '198.51.100.1' }).then(true);
      given('NotIpAddress', 'aws:SourceIp', ['192.0.2.0/24', '10.0.0.0/8']).when({ 'aws:sourceip': '10.0.0.1' }).then(false);
    });
  });

  describe('missing keys', () => {
    it.each(['StringEquals', 'StringLike', 'NumericLessThan', 'DateLessThan', 'Bool', 'IpAddress', 'StringEqualsIgnoreCase'])(
      '%s is false',
      (op) => given(op, 'aws:SourceIp', op === 'IpAddress' ? '10.0.0.0/8' : op === 'Bool' ? 'true' : op.startsWith('Date') ? '2026-01-01' : '1')
        .when({}).then(false),
    );
    it.each(['StringNotEquals', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'StringNotEqualsIgnoreCase'])(
      'negated %s is true (AWS: "requires that the key is not matched")',
      (op) => given(op, 'aws:SourceIp', op === 'NotIpAddress' ? '10.0.0.0/8' : op.startsWith('Date') ? '2026-01-01' : '1').when({}).then(true),
    );
    it('…IfExists is true when absent and checked when present', () => {
      given('StringEqualsIfExists', 's3:x-amz-acl', 'private').when({}).then(true);
      given('StringEqualsIfExists', 's3:x-amz-acl', 'private').when({ 's3:x-amz-acl': 'public-read' }).then(false);
      given('NumericLessThanIfExists', 's3:max-keys', '100').when({ 's3:max-keys': '50' }).then(true);
      given('IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8').when({ 'aws:sourceip': '192.0.2.1' }).then(false);
      given('BoolIfExists', 'aws:SecureTransport', 'true').when({ 'aws:securetransport': undefined }).then(true);
      given('DateLessThanIfExists', 'aws:CurrentTime', '2026-01-01').when({}).then(true);
      given('StringNotLikeIfExists', 's3:prefix', 'x*').when({ 's3:prefix': 'xy' }).then(false);
    });
    it('Null "true" means absent, "false" means present', () => {
      given('Null', 's3:prefix', 'true').when({}).then(true);
      given('Null', 's3:prefix', 'true').when({ 's3:prefix': '' }).then(false);
      given('Null', 's3:prefix', 'false').when({ 's3:prefix': 'a/' }).then(true);
      given('Null', 's3:prefix', 'false').when({ 's3:prefix': undefined }).then(false);
      given('Null', 's3:prefix', 'true').when({ 's3:prefix': [] }).then(true);
    });
  });

  describe('set qualifiers', () => {
    const tags = { 'aws:tagkeys': ['env', 'team'] };
    it('ForAnyValue needs one context value to match', () => {
      given('ForAnyValue:StringEquals', 'aws:TagKeys', ['env', 'cost']).when(tags).then(true);
      given('ForAnyValue:StringEquals', 'aws:TagKeys', ['cost']).when(tags).then(false);
      given('ForAnyValue:StringEquals', 'aws:TagKeys', ['cost']).when({}).then(false);
      given('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env']).when(tags).then(true);
    });
    it('ForAllValues needs every context value to match, and holds when absent', () => {
      given('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'cost']).when(tags).then(true);
      given('ForAllValues:StringEquals', 'aws:TagKeys', ['env']).when(tags).then(false);
      given('ForAllValues:StringEquals', 'aws:TagKeys', ['env']).when({}).then(true);
      given('ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret']).when(tags).then(true);
      given('ForAllValues:StringNotEquals', 'aws:TagKeys', ['team']).when(tags).then(false);
    });
    it('without a qualifier a multi-valued key matches on any value, negated on none', () => {
      given('StringEquals', 'aws:TagKeys', 'team').when(tags).then(true);
      given('StringNotEquals', 'aws:TagKeys', 'team').when(tags).then(false);
    });
  });

  it('ANDs the conditions of a block', () => {
    const block = [cond('Bool', 'aws:SecureTransport', 'true'), cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8')];
    expect(evaluateConditions(block, { 'aws:securetransport': 'true', 'aws:sourceip': '10.0.0.1' })).toBe(true);
    expect(evaluateConditions(block, { 'aws:securetransport': 'true', 'aws:sourceip': '11.0.0.1' })).toBe(false);
    expect(evaluateConditions([], {})).toBe(true);
  });

  describe('globs and variables', () => {
    it('takes regex metacharacters literally and spans newlines', () => {
      expect(wildcardMatches('a+(b)*', 'a+(b)\nc')).toBe(true);
      expect(wildcardMatches('a+(b)*', 'aa(b)')).toBe(false);
    });
    it('treats substituted values as literals, and ${*} ${?} ${$} as characters', () => {
      const resolve = variablesOf({ 'aws:username': 'a*' });
      expect(wildcardMatches('home/${aws:username}', 'home/abc', { resolve })).toBe(false);
      expect(wildcardMatches('home/${aws:username}', 'home/a*', { resolve })).toBe(true);
      expect(wildcardMatches('x${*}${?}${$}', 'x*?$', { resolve: variablesOf({}) })).toBe(true);
      expect(wildcardMatches('x${*}${?}${$}', 'xa?$', { resolve: variablesOf({}) })).toBe(false);
      expect(wildcardMatches('home/${aws:userid}', 'home/a*', { resolve })).toBeUndefined();
    });
    it('cannot resolve a missing or multi-valued variable', () => {
      expect(substituteVariables('${aws:username}', { 'aws:username': 'bob' })).toBe('bob');
      expect(substituteVariables('${aws:username}', {})).toBeUndefined();
      expect(substituteVariables('${aws:tagkeys}', { 'aws:tagkeys': ['a'] })).toBeUndefined();
    });
  });
});
