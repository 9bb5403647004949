/**
 * The IAM Query API actions Sediment answers, named as AWS names them. The same name keys the
 * policy action (`iam:CreateUser`), the metrics label and the log line; any other Action is
 * InvalidAction.
 */
export const IAM_OPERATIONS = [
  'CreateUser',
  'GetUser',
  'ListUsers',
  'DeleteUser',
  'CreateAccessKey',
  'ListAccessKeys',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'PutUserPolicy',
  'GetUserPolicy',
  'ListUserPolicies',
  'DeleteUserPolicy',
  // Sediment's own: accounts, managed by the default account's root only (`sediment account …`).
  'CreateAccount',
  'ListAccounts',
  'DeleteAccount',
] as const;

/** The account actions: not IAM's, not grantable by any policy. */
export const ACCOUNT_OPERATIONS: ReadonlySet<string> = new Set(['CreateAccount', 'ListAccounts', 'DeleteAccount']);

export type IamOperation = (typeof IAM_OPERATIONS)[number];

/** The only API version IAM has ever had; botocore and the JS SDK send it on every request. */
export const IAM_API_VERSION = '2010-05-08';

const OPERATIONS: ReadonlySet<string> = new Set(IAM_OPERATIONS);

export function isIamOperation(value: string): value is IamOperation {
  return OPERATIONS.has(value);
}
