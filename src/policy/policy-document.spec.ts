import { MalformedPolicyError, parsePolicyDocument, type PolicyKind } from './policy-document.js';

const statement = (extra: Record<string, unknown> = {}, kind: PolicyKind = 'resource') => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::examplebucket/*',
  ...(kind === 'resource' ? { Principal: '*' } : {}),
  ...extra,
});
const policy = (stmt: unknown, top: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: stmt, ...top });
const without = (key: string, kind: PolicyKind = 'resource') => {
  const s: Record<string, unknown> = statement({}, kind);
  delete s[key];
  return s;
};

const rejects = (json: string, kind: PolicyKind, reason: RegExp) => {
  let error: unknown;
  try {
    parsePolicyDocument(json, kind);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MalformedPolicyError);
  expect((error as MalformedPolicyError).reason).toMatch(reason);
};

describe('parsePolicyDocument', () => {
  it('parses the AWS anonymous-read bucket policy', () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: ['arn:aws:s3:::examplebucket/*'] }],
      }),
      'resource',
    );
    expect(doc).toEqual({
      kind: 'resource',
      version: '2012-10-17',
      statements: [
        { sid: 'PublicRead', effect: 'Allow', principal: '*', action: ['s3:GetObject', 's3:GetObjectVersion'], resource: ['arn:aws:s3:::examplebucket/*'], conditions: [] },
      ],
    });
  });

  it('parses an identity policy with a single statement object, NotAction, NotResource and conditions', () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'p1',
        Statement: {
          Effect: 'Deny', NotAction: 's3:Get*', NotResource: '*',
          Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': 10 }, 'ForAnyValue:StringLike': { 's3:prefix': ['a*', 'b*'] } },
        },
      }),
      'identity',
    );
    expect(doc.id).toBe('p1');
    expect(doc.statements[0]).toMatchObject({ effect: 'Deny', notAction: ['s3:Get*'], notResource: ['*'] });
    expect(doc.statements[0]!.conditions).toEqual([
      { operator: 'Bool', base: 'Bool', ifExists: false, key: 'aws:securetransport', values: ['false'] },
      { operator: 'NumericLessThan', base: 'NumericLessThan', ifExists: false, key: 's3:max-keys', values: ['10'] },
      { operator: 'ForAnyValue:StringLike', base: 'StringLike', qualifier: 'ForAnyValue', ifExists: false, key: 's3:prefix', values: ['a*', 'b*'] },
    ]);
  });

  it('normalises principals to lists', () => {
    const doc = parsePolicyDocument(
      policy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/alice', CanonicalUser: ['abc'] } })),
      'resource',
    );
    expect(doc.statements[0]!.principal).toEqual({ AWS: ['arn:aws:iam::111122223333:user/alice'], CanonicalUser: ['abc'] });
  });

  it('defaults a missing Version to 2008-10-17 and keeps ${…} literal there', () => {
    const doc = parsePolicyDocument(JSON.stringify({ Statement: statement({ Condition: { StringEquals: { 's3:prefix': '${aws:username}' } } }) }), 'resource');
    expect(doc.version).toBe('2008-10-17');
    expect(doc.statements[0]!.conditions[0]!.noVariables).toBe(true);
    expect(parsePolicyDocument(policy(statement(), { Version: '2008-10-17' }), 'resource').version).toBe('2008-10-17');
  });

  it('accepts exactly 20 KiB', () => {
    const base = policy(statement(), { Id: '' });
    const padded = policy(statement(), { Id: 'x'.repeat(20 * 1024 - base.length) });
    expect(Buffer.byteLength(padded)).toBe(20 * 1024);
    expect(() => parsePolicyDocument(padded, 'resource')).not.toThrow();
  });

  describe('refuses a malformed policy whole', () => {
    it.each<[string, string, PolicyKind, RegExp]>([
      ['not JSON', '{"Version":', 'resource', /not valid JSON/],
      ['JSON that is not an object', '[]', 'resource', /must be a JSON object/],
      ['over 20 KiB (bucket policy)', policy(statement(), { Id: 'x'.repeat(20 * 1024) }), 'resource', /exceeds 20480 bytes/],
      ['over 20 KiB (identity policy)', policy(statement({}, 'identity'), { Id: 'x'.repeat(20 * 1024) }), 'identity', /exceeds 20480 bytes/],
      ['an unknown Version', policy(statement(), { Version: '2012-10-18' }), 'resource', /Version must be/],
      ['a non-string Id', policy(statement(), { Id: 7 }), 'resource', /Id must be a string/],
      ['an unknown top-level key', policy(statement(), { Statements: [] }), 'resource', /unknown element "Statements"/],
      ['a missing Statement', JSON.stringify({ Version: '2012-10-17' }), 'resource', /Statement is missing/],
      ['an empty Statement array', policy([]), 'resource', /must not be empty/],
      ['a statement that is not an object', policy(['x']), 'resource', /Statement\[0\] must be a JSON object/],
      ['an unknown statement key', policy(statement({ Effects: 'Allow' })), 'resource', /unknown element "Effects"/],
      ['a missing Effect', policy(without('Effect')), 'resource', /Effect must be/],
      ['a bad Effect', policy(statement({ Effect: 'allow' })), 'resource', /Effect must be/],
      ['a non-string Sid', policy(statement({ Sid: 1 })), 'resource', /Sid must be a string/],
      ['duplicate Sids', policy([statement({ Sid: 'a' }), statement({ Sid: 'a' })]), 'resource', /Sid "a" is not unique/],
      ['both Action and NotAction', policy(statement({ NotAction: 's3:PutObject' })), 'resource', /both Action and NotAction/],
      ['neither Action nor NotAction', policy(without('Action')), 'resource', /must hold Action or NotAction/],
      ['an empty Action list', policy(statement({ Action: [] })), 'resource', /Action must not be empty/],
      ['a non-string Action', policy(statement({ Action: [1] })), 'resource', /non-empty strings/],
      ['an Action without a service', policy(statement({ Action: 'GetObject' })), 'resource', /not service:Action/],
      ['an Action with a bad character', policy(statement({ Action: 's3:Get Object' })), 'resource', /not service:Action/],
      ['both Resource and NotResource', policy(statement({ NotResource: '*' })), 'resource', /both Resource and NotResource/],
      ['neither Resource nor NotResource', policy(without('Resource')), 'resource', /must hold Resource or NotResource/],
      ['a Resource that is not an ARN', policy(statement({ Resource: 'examplebucket/*' })), 'resource', /not an ARN/],
      ['a truncated ARN', policy(statement({ Resource: 'arn:aws:s3:::' })), 'resource', /not an ARN/],
      ['a missing Principal in a bucket policy', policy(without('Principal')), 'resource', /must hold Principal or NotPrincipal/],
      ['both Principal and NotPrincipal', policy(statement({ NotPrincipal: { AWS: 'x' } })), 'resource', /both Principal and NotPrincipal/],
      ['a Principal in an identity policy', policy(statement({ Principal: '*' }, 'identity')), 'identity', /Principal is not allowed in an identity policy/],
      ['a NotPrincipal in an identity policy', policy(statement({ NotPrincipal: { AWS: '*' } }, 'identity')), 'identity', /NotPrincipal is not allowed/],
      ['a Principal string other than *', policy(statement({ Principal: 'arn:aws:iam::111122223333:root' })), 'resource', /Principal must be a JSON object/],
      ['an unknown principal type', policy(statement({ Principal: { Aws: '*' } })), 'resource', /unknown principal type "Aws"/],
      ['an empty principal map', policy(statement({ Principal: {} })), 'resource', /at least one principal/],
      ['an empty principal list', policy(statement({ Principal: { AWS: [] } })), 'resource', /must not be empty/],
      ['a Condition that is not an object', policy(statement({ Condition: [] })), 'resource', /Condition must be a JSON object/],
      ['an unknown condition operator', policy(statement({ Condition: { StringMatches: { 's3:prefix': 'a' } } })), 'resource', /unknown operator "StringMatches"/],
      ['NullIfExists', policy(statement({ Condition: { NullIfExists: { 's3:prefix': 'true' } } })), 'resource', /unknown operator/],
      ['an operator without keys', policy(statement({ Condition: { StringEquals: {} } })), 'resource', /at least one key/],
      ['a condition key without a service', policy(statement({ Condition: { StringEquals: { prefix: 'a' } } })), 'resource', /not service:key/],
      ['an empty value list', policy(statement({ Condition: { StringEquals: { 's3:prefix': [] } } })), 'resource', /at least one value/],
      ['an object value', policy(statement({ Condition: { StringEquals: { 's3:prefix': { a: 1 } } } })), 'resource', /strings, numbers or booleans/],
      ['a non-numeric Numeric value', policy(statement({ Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } })), 'resource', /not a number/],
      ['a bad date', policy(statement({ Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } })), 'resource', /not a date/],
      ['a bad Bool', policy(statement({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } })), 'resource', /not true\|false/],
      ['a bad CIDR', policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/40' } } })), 'resource', /not an IP\/CIDR/],
    ])('%s', (_, json, kind, reason) => rejects(json, kind, reason));

    it('even when the other statements are fine', () =>
      rejects(policy([statement({ Sid: 'ok' }), statement({ Effect: 'Maybe' })]), 'resource', /Statement\[1\]\.Effect/));
  });

  describe('refuses what no read model could store, escaped or raw, in any string', () => {
    const nul = '\u0000';
    it.each([
      ['a \\u0000 escape in a Sid', policy(statement({ Sid: `a${nul}b` })), /U\+0000/],
      ['a \\u0000 escape in a Resource', policy(statement({ Resource: `arn:aws:s3:::examplebucket/${nul}` })), /U\+0000/],
      ['a \\u0000 escape in a condition value', policy(statement({ Condition: { StringLike: { 's3:prefix': [`x${nul}`] } } })), /U\+0000/],
      ['a \\u0000 escape in a condition key', policy(statement({ Condition: { StringLike: { [`s3:pre${nul}fix`]: 'x' } } })), /U\+0000/],
      ['a \\u0000 escape in an unknown key', policy(statement(), { [`X${nul}`]: 1 }), /U\+0000/],
      ['a lone high surrogate escape', policy(statement({ Sid: 'a\ud800' })), /U\+D800/],
      ['a lone low surrogate escape', policy(statement({ Sid: '\udc00b' })), /U\+DC00/],
      ['a reversed surrogate pair', policy(statement({ Sid: '\udc00\ud800' })), /U\+DC00/],
    ])('%s', (_, json, reason) => {
      // JSON.stringify writes U+0000 and lone surrogates as \u escapes: the text itself is ASCII.
      expect(json).toMatch(/\\u(0000|d[89abc]00)/);
      rejects(json, 'resource', reason);
      rejects(json.replace('"Principal":"*",', ''), 'identity', reason);
    });

    it('a raw NUL is not JSON at all', () => rejects(policy(statement({ Sid: 'a' })).replace('"a"', '"a\u0000"'), 'resource', /not valid JSON/));

    it('accepts a surrogate pair and an escaped backslash before u0000', () => {
      expect(parsePolicyDocument(policy(statement({ Sid: 'ok\ud83d\ude00' })), 'resource').statements[0]!.sid).toBe('ok\ud83d\ude00');
      expect(parsePolicyDocument(policy(statement({ Sid: 'a\\u0000' })), 'resource').statements[0]!.sid).toBe('a\\u0000');
    });

    it('walks nesting as deep as 20 KB allows', () => {
      const deep = `${'['.repeat(9_000)}"\\u0000"${']'.repeat(9_000)}`;
      rejects(policy(statement()).replace('{', `{"Id":${deep},`), 'resource', /U\+0000/);
    });
  });
});
