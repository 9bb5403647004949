import { parseHardenedDocument } from '../xml/hardened-xml.js';
import { IamError } from '../../errors/iam.error.js';
import {
  encodePolicyDocument,
  formatIamDate,
  renderCreateAccessKey,
  renderCreateUser,
  renderDeleteUser,
  renderGetUserPolicy,
  renderIamError,
  renderIamResult,
  renderListAccessKeys,
  renderListUserPolicies,
  renderListUsers,
  type IamUserView,
} from './iam-xml.renderers.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
const metadata = (requestId: string) => `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;

const alice: IamUserView = {
  userName: 'alice',
  userId: 'AIDACKCEVSQ6C2EXAMPLE',
  arn: 'arn:aws:iam::123456789012:user/division_abc/alice',
  path: '/division_abc/',
  createDate: '2026-11-27T18:00:00.123Z',
};
const aliceXml =
  '<Path>/division_abc/</Path><UserName>alice</UserName><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>' +
  '<Arn>arn:aws:iam::123456789012:user/division_abc/alice</Arn><CreateDate>2026-11-27T18:00:00Z</CreateDate>';

type Parsed = Record<string, unknown[]>;

/** Parses a rendered body back, with the same hardened parser Sediment uses for request XML. */
function parse(xml: string): Parsed {
  const root = /^(?:<\?xml[^>]*\?>\s*)?<([A-Za-z]+)/.exec(xml)![1]!;
  return { [root]: [parseHardenedDocument(xml, 1024 * 1024, root)] } as Parsed;
}
function child(node: unknown, name: string): Parsed[] {
  return ((node as Parsed)[name] ?? []) as Parsed[];
}
function text(node: unknown, name: string): string {
  return String(child(node, name)[0]);
}

describe('success responses', () => {
  it('CreateUser: the user in a Result, dates without milliseconds', () => {
    expect(renderCreateUser(alice, 'req-1')).toBe(
      `${DECLARATION}<CreateUserResponse ${NS}><CreateUserResult><User>${aliceXml}</User></CreateUserResult>${metadata('req-1')}</CreateUserResponse>`,
    );
  });

  it('DeleteUser: only ResponseMetadata', () => {
    expect(renderDeleteUser('req-2')).toBe(`${DECLARATION}<DeleteUserResponse ${NS}>${metadata('req-2')}</DeleteUserResponse>`);
  });

  it.each(['DeleteUser', 'UpdateAccessKey', 'DeleteAccessKey', 'PutUserPolicy', 'DeleteUserPolicy'] as const)(
    '%s has no Result element',
    (operation) => {
      expect(renderIamResult(operation, undefined, 'r')).toBe(`${DECLARATION}<${operation}Response ${NS}>${metadata('r')}</${operation}Response>`);
    },
  );

  it('ListUsers: members, IsTruncated and the next Marker', () => {
    expect(renderListUsers({ users: [alice], isTruncated: true, marker: 'next page' }, 'r')).toBe(
      `${DECLARATION}<ListUsersResponse ${NS}><ListUsersResult><Users><member>${aliceXml}</member></Users>` +
        `<IsTruncated>true</IsTruncated><Marker>next page</Marker></ListUsersResult>${metadata('r')}</ListUsersResponse>`,
    );
  });

  it('ListUsers: an empty last page has no Marker', () => {
    expect(renderListUsers({ users: [], isTruncated: false, marker: 'ignored' }, 'r')).toBe(
      `${DECLARATION}<ListUsersResponse ${NS}><ListUsersResult><Users></Users><IsTruncated>false</IsTruncated>` +
        `</ListUsersResult>${metadata('r')}</ListUsersResponse>`,
    );
  });

  it('CreateAccessKey: the secret, in the order of the AccessKey shape', () => {
    expect(
      renderCreateAccessKey(
        {
          userName: 'alice',
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          status: 'Active',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
          createDate: '2026-11-27T18:00:00Z',
        },
        'r',
      ),
    ).toBe(
      `${DECLARATION}<CreateAccessKeyResponse ${NS}><CreateAccessKeyResult><AccessKey><UserName>alice</UserName>` +
        '<AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>' +
        '<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey><CreateDate>2026-11-27T18:00:00Z</CreateDate>' +
        `</AccessKey></CreateAccessKeyResult>${metadata('r')}</CreateAccessKeyResponse>`,
    );
  });

  it('ListAccessKeys: the user name, then the key metadata', () => {
    expect(
      renderListAccessKeys(
        {
          userName: 'alice',
          keys: [{ userName: 'alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Inactive', createDate: '2026-01-02T03:04:05+01:00' }],
          isTruncated: false,
        },
        'r',
      ),
    ).toBe(
      `${DECLARATION}<ListAccessKeysResponse ${NS}><ListAccessKeysResult><UserName>alice</UserName><AccessKeyMetadata><member>` +
        '<UserName>alice</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Inactive</Status>' +
        '<CreateDate>2026-01-02T02:04:05Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>' +
        `</ListAccessKeysResult>${metadata('r')}</ListAccessKeysResponse>`,
    );
  });

  it('GetUserPolicy: the document URL-encoded per RFC 3986', () => {
    const document = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/it's (a+b c)!*"}]}`;
    expect(renderGetUserPolicy({ userName: 'alice', policyName: 'all-s3', policyDocument: document }, 'r')).toBe(
      `${DECLARATION}<GetUserPolicyResponse ${NS}><GetUserPolicyResult><UserName>alice</UserName><PolicyName>all-s3</PolicyName>` +
        '<PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C' +
        '%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2Fit%27s%20%28a%2Bb%20c%29%21%2A%22%7D%5D%7D' +
        `</PolicyDocument></GetUserPolicyResult>${metadata('r')}</GetUserPolicyResponse>`,
    );
  });

  it('ListUserPolicies: names as members', () => {
    expect(renderListUserPolicies({ policyNames: ['a', 'b'], isTruncated: true, marker: 'b' }, 'r')).toBe(
      `${DECLARATION}<ListUserPoliciesResponse ${NS}><ListUserPoliciesResult><PolicyNames><member>a</member><member>b</member>` +
        `</PolicyNames><IsTruncated>true</IsTruncated><Marker>b</Marker></ListUserPoliciesResult>${metadata('r')}</ListUserPoliciesResponse>`,
    );
  });

  it('escapes every value', () => {
    const xml = renderListUserPolicies({ policyNames: ['<a>&'], isTruncated: true, marker: '"m\'' }, '<id>');
    expect(xml).toContain('<member>&lt;a&gt;&amp;</member>');
    expect(xml).toContain('<Marker>&quot;m&apos;</Marker>');
    expect(xml).toContain('<RequestId>&lt;id&gt;</RequestId>');
  });
});

describe('round trip through an XML parser', () => {
  it('ListUsers reads back with every value', () => {
    const bob = { ...alice, userName: 'bob&co', arn: 'arn:aws:iam::123456789012:user/bob&co', createDate: '2020-02-29T23:59:59Z' };
    const root = parse(renderListUsers({ users: [alice, bob], isTruncated: true, marker: 'a <b>' }, 'req-9'))['ListUsersResponse']![0];
    const result = child(root, 'ListUsersResult')[0];
    const members = child(child(result, 'Users')[0], 'member');
    expect(members.map((m) => [text(m, 'UserName'), text(m, 'Arn'), text(m, 'Path'), text(m, 'UserId'), text(m, 'CreateDate')])).toEqual([
      ['alice', alice.arn, '/division_abc/', alice.userId, '2026-11-27T18:00:00Z'],
      ['bob&co', bob.arn, '/division_abc/', alice.userId, '2020-02-29T23:59:59Z'],
    ]);
    expect([text(result, 'IsTruncated'), text(result, 'Marker')]).toEqual(['true', 'a <b>']);
    expect(text(child(root, 'ResponseMetadata')[0], 'RequestId')).toBe('req-9');
  });

  it('GetUserPolicy gives the stored document back after URL-decoding', () => {
    const document = '{\n\t"Version": "2012-10-17",\r\n "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::é/100%"}]}';
    const root = parse(renderGetUserPolicy({ userName: 'u', policyName: 'p', policyDocument: document }, 'r'))['GetUserPolicyResponse']![0];
    expect(decodeURIComponent(text(child(root, 'GetUserPolicyResult')[0], 'PolicyDocument'))).toBe(document);
  });
});

describe('renderIamError', () => {
  it('writes ErrorResponse with Type, Code, Message and RequestId', () => {
    expect(renderIamError(new IamError('NoSuchEntity', 'The user with name bob cannot be found.'), 'req-3')).toBe(
      `${DECLARATION}<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>NoSuchEntity</Code>` +
        '<Message>The user with name bob cannot be found.</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
    );
  });

  it('marks server faults as Receiver and escapes the message', () => {
    const xml = renderIamError(new IamError('ServiceFailure', 'a <b> & "c"'), 'r');
    expect(xml).toContain('<Type>Receiver</Type><Code>ServiceFailure</Code><Message>a &lt;b&gt; &amp; &quot;c&quot;</Message>');
    const error = child(parse(xml)['ErrorResponse']![0], 'Error')[0];
    expect([text(error, 'Type'), text(error, 'Code'), text(error, 'Message')]).toEqual(['Receiver', 'ServiceFailure', 'a <b> & "c"']);
  });
});

describe('formatIamDate and encodePolicyDocument', () => {
  it.each([
    ['2026-11-27T18:00:00Z', '2026-11-27T18:00:00Z'],
    ['2026-11-27T18:00:00.999Z', '2026-11-27T18:00:00Z'],
    ['2026-11-27T19:00:00+01:00', '2026-11-27T18:00:00Z'],
  ])('%s → %s', (input, expected) => {
    expect(formatIamDate(input)).toBe(expected);
  });

  it('refuses what is not a date', () => {
    expect(() => formatIamDate('yesterday')).toThrow('Not an ISO 8601 date: "yesterday"');
  });

  it('leaves only unreserved characters unencoded', () => {
    expect(encodePolicyDocument("AZaz09-._~ !'()*+/:é")).toBe('AZaz09-._~%20%21%27%28%29%2A%2B%2F%3A%C3%A9');
  });
});

describe('the account actions', () => {
  const account = { accountId: '111122223333', accountName: 'team-b', canonicalUserId: 'c'.repeat(64), createDate: '2026-11-27T18:00:00.123Z' };

  it('CreateAccount: the account and its root credentials, once', () => {
    const xml = renderIamResult('CreateAccount', { ...account, accessKeyId: 'AKIAROOTOFTEAMB00001', secretAccessKey: 's/e+c=' }, 'r');
    expect(xml).toBe(
      `${DECLARATION}<CreateAccountResponse ${NS}><CreateAccountResult><Account><AccountId>111122223333</AccountId><AccountName>team-b</AccountName>` +
        `<CanonicalUserId>${'c'.repeat(64)}</CanonicalUserId><CreateDate>2026-11-27T18:00:00Z</CreateDate><AccessKeyId>AKIAROOTOFTEAMB00001</AccessKeyId>` +
        `<SecretAccessKey>s/e+c=</SecretAccessKey></Account></CreateAccountResult>${metadata('r')}</CreateAccountResponse>`,
    );
  });

  it('ListAccounts: members, the default account without a CreateDate', () => {
    const xml = renderIamResult('ListAccounts', { accounts: [{ accountId: '000000000000', accountName: 'root', canonicalUserId: 'd'.repeat(64) }, account] }, 'r');
    expect(xml).toContain(`<member><AccountId>000000000000</AccountId><AccountName>root</AccountName><CanonicalUserId>${'d'.repeat(64)}</CanonicalUserId></member>`);
    expect(xml).toContain('<member><AccountId>111122223333</AccountId>');
  });
});
