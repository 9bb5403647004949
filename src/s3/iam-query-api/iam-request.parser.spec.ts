import { IamError } from '../../errors/iam.error.js';
import { parseIamRequest, type IamRequest } from './iam-request.parser.js';

/** A request body as an SDK sends it (URLSearchParams writes a space as '+'). */
const body = (params: Record<string, string>) => new URLSearchParams({ Version: '2010-05-08', ...params }).toString();

function errorOf(requestBody: string): IamError {
  try {
    parseIamRequest(requestBody);
  } catch (e) {
    if (e instanceof IamError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${requestBody}`);
}

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';

describe('parseIamRequest: valid requests', () => {
  const cases: ReadonlyArray<[string, string, IamRequest]> = [
    // Bodies exactly as botocore 1.43 serializes them (awscli v2 / boto3).
    [
      'CreateUser from botocore, Tags ignored',
      'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2Ba%2F&Tags.member.1.Key=k&Tags.member.1.Value=v',
      { operation: 'CreateUser', userName: 'alice', path: '/team+a/' },
    ],
    ['GetUser from botocore, no user name', 'Action=GetUser&Version=2010-05-08', { operation: 'GetUser' }],
    [
      'ListUsers from botocore, + is a space and %2B a plus',
      'Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fx%2F&Marker=m%2B1+2%26%3D%C3%A9&MaxItems=5',
      { operation: 'ListUsers', pathPrefix: '/x/', marker: 'm+1 2&=é', maxItems: 5 },
    ],
    [
      'PutUserPolicy from botocore',
      'Action=PutUserPolicy&Version=2010-05-08&UserName=a&PolicyName=p&PolicyDocument=%7B%22Version%22%3A+%222012-10-17%22%2C+' +
        '%22Statement%22%3A+%5B%7B%22Effect%22%3A+%22Allow%22%2C+%22Action%22%3A+%22s3%3A%2A%22%2C+%22Resource%22%3A+' +
        '%22arn%3Aaws%3As3%3A%3A%3Ab%2Fa%2Bb+c%26d%22%7D%5D%7D',
      {
        operation: 'PutUserPolicy',
        userName: 'a',
        policyName: 'p',
        policyDocument:
          '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/a+b c&d"}]}',
      },
    ],
    ['CreateUser, default path', body({ Action: 'CreateUser', UserName: 'a.b+c=d,e@f_g-h' }), { operation: 'CreateUser', userName: 'a.b+c=d,e@f_g-h', path: '/' }],
    ['CreateUser, 64-char name', body({ Action: 'CreateUser', UserName: 'u'.repeat(64) }), { operation: 'CreateUser', userName: 'u'.repeat(64), path: '/' }],
    ['CreateUser, Version absent', 'Action=CreateUser&UserName=bob', { operation: 'CreateUser', userName: 'bob', path: '/' }],
    ['GetUser, named', body({ Action: 'GetUser', UserName: 'bob' }), { operation: 'GetUser', userName: 'bob' }],
    ['ListUsers, defaults', body({ Action: 'ListUsers' }), { operation: 'ListUsers', pathPrefix: '/', maxItems: 100 }],
    ['ListUsers, MaxItems 1000', body({ Action: 'ListUsers', MaxItems: '1000' }), { operation: 'ListUsers', pathPrefix: '/', maxItems: 1000 }],
    ['DeleteUser, 128-char existing name', body({ Action: 'DeleteUser', UserName: 'u'.repeat(128) }), { operation: 'DeleteUser', userName: 'u'.repeat(128) }],
    ['CreateAccessKey, for the caller', body({ Action: 'CreateAccessKey' }), { operation: 'CreateAccessKey' }],
    ['CreateAccessKey, for a user', body({ Action: 'CreateAccessKey', UserName: 'bob' }), { operation: 'CreateAccessKey', userName: 'bob' }],
    ['ListAccessKeys, defaults', body({ Action: 'ListAccessKeys' }), { operation: 'ListAccessKeys', maxItems: 100 }],
    [
      'ListAccessKeys, all parameters',
      body({ Action: 'ListAccessKeys', UserName: 'bob', Marker: 'next', MaxItems: '2' }),
      { operation: 'ListAccessKeys', userName: 'bob', marker: 'next', maxItems: 2 },
    ],
    [
      'UpdateAccessKey',
      body({ Action: 'UpdateAccessKey', UserName: 'bob', AccessKeyId: KEY_ID, Status: 'Inactive' }),
      { operation: 'UpdateAccessKey', userName: 'bob', accessKeyId: KEY_ID, status: 'Inactive' },
    ],
    [
      'UpdateAccessKey, for the caller',
      body({ Action: 'UpdateAccessKey', AccessKeyId: KEY_ID, Status: 'Active' }),
      { operation: 'UpdateAccessKey', accessKeyId: KEY_ID, status: 'Active' },
    ],
    ['DeleteAccessKey', body({ Action: 'DeleteAccessKey', AccessKeyId: KEY_ID }), { operation: 'DeleteAccessKey', accessKeyId: KEY_ID }],
    [
      'PutUserPolicy, multi-line document',
      body({ Action: 'PutUserPolicy', UserName: 'bob', PolicyName: 'p', PolicyDocument: `{\r\n\t"Version": "2012-10-17"\n}` }),
      { operation: 'PutUserPolicy', userName: 'bob', policyName: 'p', policyDocument: `{\r\n\t"Version": "2012-10-17"\n}` },
    ],
    [
      'GetUserPolicy, 128-char policy name',
      body({ Action: 'GetUserPolicy', UserName: 'bob', PolicyName: 'p'.repeat(128) }),
      { operation: 'GetUserPolicy', userName: 'bob', policyName: 'p'.repeat(128) },
    ],
    ['ListUserPolicies', body({ Action: 'ListUserPolicies', UserName: 'bob' }), { operation: 'ListUserPolicies', userName: 'bob', maxItems: 100 }],
    [
      'DeleteUserPolicy',
      body({ Action: 'DeleteUserPolicy', UserName: 'bob', PolicyName: 'p' }),
      { operation: 'DeleteUserPolicy', userName: 'bob', policyName: 'p' },
    ],
  ];

  it.each(cases)('%s', (_name, requestBody, expected) => {
    expect(parseIamRequest(requestBody)).toStrictEqual(expected);
  });

  it('takes a policy document of exactly 131072 characters', () => {
    const document = POLICY.padEnd(131072, ' ');
    expect(parseIamRequest(body({ Action: 'PutUserPolicy', UserName: 'u', PolicyName: 'p', PolicyDocument: document }))).toMatchObject({
      policyDocument: document,
    });
  });
});

describe('parseIamRequest: protocol errors', () => {
  const cases: ReadonlyArray<[string, string, string, string]> = [
    ['empty body', '', 'MissingAction', 'The request is missing an action or a required parameter.'],
    ['empty Action', 'Action=&Version=2010-05-08', 'MissingAction', 'The request is missing an action or a required parameter.'],
    ['unknown action', body({ Action: 'CreateRole' }), 'InvalidAction', 'Could not find operation CreateRole for version 2010-05-08'],
    ['action names are case-sensitive', body({ Action: 'createuser' }), 'InvalidAction', 'Could not find operation createuser for version 2010-05-08'],
    ['another API version', 'Action=CreateUser&Version=2011-06-15&UserName=a', 'InvalidAction', 'Could not find operation CreateUser for version 2011-06-15'],
    [
      'a repeated parameter',
      'Action=DeleteUser&Version=2010-05-08&UserName=a&UserName=b',
      'InvalidParameterValue',
      'The parameter UserName must not be specified more than once.',
    ],
    ['a repeated Action', 'Action=GetUser&Action=DeleteUser', 'InvalidParameterValue', 'The parameter Action must not be specified more than once.'],
    [
      'MaxItems not an integer',
      body({ Action: 'ListUsers', MaxItems: '1.5' }),
      'InvalidParameterValue',
      "Value '1.5' for parameter MaxItems is not a valid integer.",
    ],
  ];

  it.each(cases)('%s', (_name, requestBody, code, message) => {
    const error = errorOf(requestBody);
    expect({ code: error.code, status: error.status, type: error.type, message: error.message }).toEqual({
      code,
      status: 400,
      type: 'Sender',
      message,
    });
  });

  it('ignores repeated parameters the action does not take', () => {
    expect(parseIamRequest('Action=GetUser&Version=2010-05-08&Foo=1&Foo=2')).toStrictEqual({ operation: 'GetUser' });
  });
});

describe('parseIamRequest: constraint violations are one ValidationError', () => {
  const one = (detail: string) => `1 validation error detected: ${detail}`;
  const value = (v: string, member: string, constraint: string) => `Value '${v}' at '${member}' failed to satisfy constraint: ${constraint}`;
  const NAME = 'Member must satisfy regular expression pattern: [\\w+=,.@-]+';
  const longMarker = 'm'.repeat(321);
  const longPath = `/${'a'.repeat(511)}/`;
  const longDocument = POLICY.padEnd(131073, ' ');

  const cases: ReadonlyArray<[string, string, string]> = [
    ['CreateUser without UserName', body({ Action: 'CreateUser' }), one("Value null at 'userName' failed to satisfy constraint: Member must not be null")],
    ['CreateUser, a space in the name', body({ Action: 'CreateUser', UserName: 'bad name' }), one(value('bad name', 'userName', NAME))],
    [
      'CreateUser, 65-char name',
      body({ Action: 'CreateUser', UserName: 'u'.repeat(65) }),
      one(value('u'.repeat(65), 'userName', 'Member must have length less than or equal to 64')),
    ],
    [
      'DeleteUser, 129-char name',
      body({ Action: 'DeleteUser', UserName: 'u'.repeat(129) }),
      one(value('u'.repeat(129), 'userName', 'Member must have length less than or equal to 128')),
    ],
    [
      'DeleteUser, empty name',
      body({ Action: 'DeleteUser', UserName: '' }),
      `2 validation errors detected: ${value('', 'userName', NAME)}; ${value('', 'userName', 'Member must have length greater than or equal to 1')}`,
    ],
    ['GetUser, a slash in the name', body({ Action: 'GetUser', UserName: 'a/b' }), one(value('a/b', 'userName', NAME))],
    // U+0000 cannot be stored by the read model: IAM's own patterns keep it out of every name.
    ['CreateUser, a NUL in the name', body({ Action: 'CreateUser', UserName: 'a\u0000b' }), one(value('a\u0000b', 'userName', NAME))],
    [
      'CreateUser, a NUL in the path',
      body({ Action: 'CreateUser', UserName: 'a', Path: '/a\u0000/' }),
      one(value('/a\u0000/', 'path', 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)')),
    ],
    [
      'PutUserPolicy, a NUL in the policy name',
      body({ Action: 'PutUserPolicy', UserName: 'a', PolicyName: 'p\u0000', PolicyDocument: POLICY }),
      one(value('p\u0000', 'policyName', NAME)),
    ],
    [
      'PutUserPolicy, a raw NUL in the document',
      body({ Action: 'PutUserPolicy', UserName: 'a', PolicyName: 'p', PolicyDocument: `${POLICY}\u0000` }),
      one(value(`${POLICY}\u0000`, 'policyDocument', 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')),
    ],
    [
      'CreateUser, path without slashes',
      body({ Action: 'CreateUser', UserName: 'a', Path: 'team' }),
      one(value('team', 'path', 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)')),
    ],
    [
      'CreateUser, a space in the path',
      body({ Action: 'CreateUser', UserName: 'a', Path: '/a b/' }),
      one(value('/a b/', 'path', 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)')),
    ],
    [
      'CreateUser, 513-char path',
      body({ Action: 'CreateUser', UserName: 'a', Path: longPath }),
      one(value(longPath, 'path', 'Member must have length less than or equal to 512')),
    ],
    [
      'ListUsers, prefix without leading slash',
      body({ Action: 'ListUsers', PathPrefix: 'x/' }),
      one(value('x/', 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*')),
    ],
    ['ListUsers, MaxItems 0', body({ Action: 'ListUsers', MaxItems: '0' }), one(value('0', 'maxItems', 'Member must have value greater than or equal to 1'))],
    ['ListUsers, MaxItems 1001', body({ Action: 'ListUsers', MaxItems: '1001' }), one(value('1001', 'maxItems', 'Member must have value less than or equal to 1000'))],
    ['ListUsers, MaxItems -5', body({ Action: 'ListUsers', MaxItems: '-5' }), one(value('-5', 'maxItems', 'Member must have value greater than or equal to 1'))],
    [
      'ListAccessKeys, 321-char marker',
      body({ Action: 'ListAccessKeys', Marker: longMarker }),
      one(value(longMarker, 'marker', 'Member must have length less than or equal to 320')),
    ],
    [
      'ListUserPolicies, marker outside Latin-1',
      body({ Action: 'ListUserPolicies', UserName: 'a', Marker: 'a\u0100' }),
      one(value('a\u0100', 'marker', 'Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+')),
    ],
    [
      'UpdateAccessKey without AccessKeyId and Status',
      body({ Action: 'UpdateAccessKey' }),
      "2 validation errors detected: Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'status' failed to satisfy constraint: Member must not be null",
    ],
    [
      'UpdateAccessKey, unknown status',
      body({ Action: 'UpdateAccessKey', AccessKeyId: KEY_ID, Status: 'active' }),
      one(value('active', 'status', 'Member must satisfy enum value set: [Active, Inactive]')),
    ],
    [
      'DeleteAccessKey, 15-char key id',
      body({ Action: 'DeleteAccessKey', AccessKeyId: 'AKIA00000000000' }),
      one(value('AKIA00000000000', 'accessKeyId', 'Member must have length greater than or equal to 16')),
    ],
    [
      'DeleteAccessKey, punctuation in the key id',
      body({ Action: 'DeleteAccessKey', AccessKeyId: 'AKIA-0000000000000' }),
      one(value('AKIA-0000000000000', 'accessKeyId', 'Member must satisfy regular expression pattern: [\\w]+')),
    ],
    [
      'PutUserPolicy without a document',
      body({ Action: 'PutUserPolicy', UserName: 'a', PolicyName: 'p' }),
      one("Value null at 'policyDocument' failed to satisfy constraint: Member must not be null"),
    ],
    [
      'PutUserPolicy, document outside Latin-1',
      body({ Action: 'PutUserPolicy', UserName: 'a', PolicyName: 'p', PolicyDocument: '{"Sid":"\u2603"}' }),
      one(value('{"Sid":"\u2603"}', 'policyDocument', 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')),
    ],
    [
      'PutUserPolicy, 131073-char document',
      body({ Action: 'PutUserPolicy', UserName: 'a', PolicyName: 'p', PolicyDocument: longDocument }),
      one(value(longDocument, 'policyDocument', 'Member must have length less than or equal to 131072')),
    ],
    [
      'DeleteUserPolicy, 129-char policy name',
      body({ Action: 'DeleteUserPolicy', UserName: 'a', PolicyName: 'p'.repeat(129) }),
      one(value('p'.repeat(129), 'policyName', 'Member must have length less than or equal to 128')),
    ],
    [
      'GetUserPolicy without any parameter',
      body({ Action: 'GetUserPolicy' }),
      "2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'policyName' failed to satisfy constraint: Member must not be null",
    ],
    [
      'violations of several parameters, in model order',
      body({ Action: 'ListUserPolicies', UserName: 'a b', MaxItems: '0' }),
      `2 validation errors detected: ${value('a b', 'userName', NAME)}; ${value('0', 'maxItems', 'Member must have value greater than or equal to 1')}`,
    ],
  ];

  it.each(cases)('%s', (_name, requestBody, message) => {
    const error = errorOf(requestBody);
    expect({ code: error.code, status: error.status, type: error.type }).toEqual({ code: 'ValidationError', status: 400, type: 'Sender' });
    expect(error.message).toBe(message);
  });
});

describe('parseIamRequest: the account actions', () => {
  it('reads CreateAccount, ListAccounts and DeleteAccount', () => {
    expect(parseIamRequest(body({ Action: 'CreateAccount', AccountName: 'team-b' }))).toEqual({ operation: 'CreateAccount', accountName: 'team-b' });
    expect(parseIamRequest(body({ Action: 'ListAccounts' }))).toEqual({ operation: 'ListAccounts' });
    expect(parseIamRequest(body({ Action: 'DeleteAccount', AccountId: '111122223333' }))).toEqual({ operation: 'DeleteAccount', accountId: '111122223333' });
  });

  it.each([
    [{ Action: 'CreateAccount' }, /Member must not be null/],
    [{ Action: 'CreateAccount', AccountName: 'a b' }, /regular expression pattern/],
    [{ Action: 'CreateAccount', AccountName: 'x'.repeat(65) }, /less than or equal to 64/],
    [{ Action: 'DeleteAccount', AccountId: '1111222233334' }, /regular expression pattern/],
    [{ Action: 'DeleteAccount', AccountId: '11112222333\n' }, /regular expression pattern/],
  ])('refuses %j with a ValidationError', (params, message) => {
    const error = errorOf(body(params as Record<string, string>));
    expect(error.code).toBe('ValidationError');
    expect(error.message).toMatch(message);
  });
});
