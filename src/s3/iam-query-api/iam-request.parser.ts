import { IamError } from '../../errors/iam.error.js';
import { IAM_API_VERSION, isIamOperation, type IamOperation } from './iam-operations.js';

export type IamAccessKeyStatus = 'Active' | 'Inactive';

export interface CreateUserRequest { operation: 'CreateUser'; userName: string; path: string }
/** Without userName, the user whose key signed the request. */
export interface GetUserRequest { operation: 'GetUser'; userName?: string }
export interface ListUsersRequest { operation: 'ListUsers'; pathPrefix: string; marker?: string; maxItems: number }
export interface DeleteUserRequest { operation: 'DeleteUser'; userName: string }
export interface CreateAccessKeyRequest { operation: 'CreateAccessKey'; userName?: string }
export interface ListAccessKeysRequest { operation: 'ListAccessKeys'; userName?: string; marker?: string; maxItems: number }
export interface UpdateAccessKeyRequest {
  operation: 'UpdateAccessKey';
  userName?: string;
  accessKeyId: string;
  status: IamAccessKeyStatus;
}
export interface DeleteAccessKeyRequest { operation: 'DeleteAccessKey'; userName?: string; accessKeyId: string }
export interface PutUserPolicyRequest {
  operation: 'PutUserPolicy';
  userName: string;
  policyName: string;
  /** Only the characters and the length are checked here; the policy grammar is checked elsewhere. */
  policyDocument: string;
}
export interface GetUserPolicyRequest { operation: 'GetUserPolicy'; userName: string; policyName: string }
export interface ListUserPoliciesRequest { operation: 'ListUserPolicies'; userName: string; marker?: string; maxItems: number }
export interface DeleteUserPolicyRequest { operation: 'DeleteUserPolicy'; userName: string; policyName: string }

export interface CreateAccountRequest { operation: 'CreateAccount'; accountName: string }
export interface ListAccountsRequest { operation: 'ListAccounts' }
export interface DeleteAccountRequest { operation: 'DeleteAccount'; accountId: string }

export type IamRequest =
  | CreateAccountRequest
  | ListAccountsRequest
  | DeleteAccountRequest
  | CreateUserRequest
  | GetUserRequest
  | ListUsersRequest
  | DeleteUserRequest
  | CreateAccessKeyRequest
  | ListAccessKeysRequest
  | UpdateAccessKeyRequest
  | DeleteAccessKeyRequest
  | PutUserPolicyRequest
  | GetUserPolicyRequest
  | ListUserPoliciesRequest
  | DeleteUserPolicyRequest;

/** A member of the IAM model: its query parameter, its name in messages, and its constraints. */
interface StringMember {
  readonly param: string;
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
  /** As the model writes it: shown verbatim in messages, and valid JavaScript regex syntax. */
  readonly pattern?: string;
  readonly values?: readonly string[];
}

const NAME_PATTERN = '[\\w+=,.@-]+';

/** CreateUser's userNameType is 64 long; every other action takes existingUserNameType (128). */
const NEW_USER_NAME: StringMember = { param: 'UserName', member: 'userName', min: 1, max: 64, pattern: NAME_PATTERN };
const USER_NAME: StringMember = { ...NEW_USER_NAME, max: 128 };
const PATH: StringMember = {
  param: 'Path',
  member: 'path',
  min: 1,
  max: 512,
  pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
};
const PATH_PREFIX: StringMember = { param: 'PathPrefix', member: 'pathPrefix', min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' };
const MARKER: StringMember = { param: 'Marker', member: 'marker', min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' };
const ACCESS_KEY_ID: StringMember = { param: 'AccessKeyId', member: 'accessKeyId', min: 16, max: 128, pattern: '[\\w]+' };
// Recent models also list Expired, a state IAM sets itself; a client may only choose these two.
const STATUS: StringMember = { param: 'Status', member: 'status', values: ['Active', 'Inactive'] };
const POLICY_NAME: StringMember = { param: 'PolicyName', member: 'policyName', min: 1, max: 128, pattern: NAME_PATTERN };
const POLICY_DOCUMENT: StringMember = {
  param: 'PolicyDocument',
  member: 'policyDocument',
  min: 1,
  max: 131072,
  pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
};

/** Account names: 1–64 of the characters IAM allows in user names; shown as S3's display name. */
const ACCOUNT_NAME: StringMember = { param: 'AccountName', member: 'accountName', min: 1, max: 64, pattern: NAME_PATTERN };
const ACCOUNT_ID: StringMember = { param: 'AccountId', member: 'accountId', pattern: '\\d{12}' };

const MAX_ITEMS = { param: 'MaxItems', member: 'maxItems', min: 1, max: 1000, default: 100 } as const;

const COMPILED = new Map<string, RegExp>();

/** The model's patterns must match the whole value (Java's Pattern.matches). */
function fullMatch(pattern: string, value: string): boolean {
  let regex = COMPILED.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^(?:${pattern})$`);
    COMPILED.set(pattern, regex);
  }
  return regex.test(value);
}

/**
 * Reads one action's parameters and gathers every constraint violation, so the client sees all
 * of them in one ValidationError, worded as AWS words them.
 */
class ParamReader {
  private readonly violations: string[] = [];

  constructor(private readonly params: URLSearchParams) {}

  /** Undefined when absent; a repeated parameter is refused outright. */
  raw(param: string): string | undefined {
    const values = this.params.getAll(param);
    if (values.length > 1) {
      throw new IamError('InvalidParameterValue', `The parameter ${param} must not be specified more than once.`);
    }
    return values[0];
  }

  required(spec: StringMember): string {
    const value = this.raw(spec.param);
    if (value === undefined) {
      this.violations.push(`Value null at '${spec.member}' failed to satisfy constraint: Member must not be null`);
      return '';
    }
    this.check(spec, value);
    return value;
  }

  optional(spec: StringMember): string | undefined {
    const value = this.raw(spec.param);
    if (value !== undefined) this.check(spec, value);
    return value;
  }

  maxItems(): number {
    const value = this.raw(MAX_ITEMS.param);
    if (value === undefined) return MAX_ITEMS.default;
    if (!/^[+-]?\d+$/.test(value)) {
      throw new IamError('InvalidParameterValue', `Value '${value}' for parameter MaxItems is not a valid integer.`);
    }
    const n = Number(value);
    const fail = (constraint: string) =>
      this.violations.push(`Value '${value}' at '${MAX_ITEMS.member}' failed to satisfy constraint: ${constraint}`);
    if (n < MAX_ITEMS.min) fail(`Member must have value greater than or equal to ${MAX_ITEMS.min}`);
    if (n > MAX_ITEMS.max) fail(`Member must have value less than or equal to ${MAX_ITEMS.max}`);
    return n;
  }

  /** Throws the gathered violations, if any: "2 validation errors detected: A; B". */
  finish(): void {
    const count = this.violations.length;
    if (count === 0) return;
    const detected = `${count} validation error${count === 1 ? '' : 's'} detected: `;
    throw new IamError('ValidationError', detected + this.violations.join('; '));
  }

  private check(spec: StringMember, value: string): void {
    const fail = (constraint: string) =>
      this.violations.push(`Value '${value}' at '${spec.member}' failed to satisfy constraint: ${constraint}`);
    if (spec.values !== undefined) {
      if (!spec.values.includes(value)) fail(`Member must satisfy enum value set: [${spec.values.join(', ')}]`);
      return;
    }
    if (spec.pattern !== undefined && !fullMatch(spec.pattern, value)) {
      fail(`Member must satisfy regular expression pattern: ${spec.pattern}`);
    }
    if (spec.min !== undefined && value.length < spec.min) fail(`Member must have length greater than or equal to ${spec.min}`);
    if (spec.max !== undefined && value.length > spec.max) fail(`Member must have length less than or equal to ${spec.max}`);
  }
}

/** Adds `key` only when the value is present, so absent parameters stay absent keys. */
function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

type Parsers = { readonly [Op in IamOperation]: (p: ParamReader) => Extract<IamRequest, { operation: Op }> };

// Each parser reads every parameter before finish(), so one answer lists all violations.
const PARSERS: Parsers = {
  CreateAccount: (p) => {
    const accountName = p.required(ACCOUNT_NAME);
    p.finish();
    return { operation: 'CreateAccount', accountName };
  },
  ListAccounts: (p) => {
    p.finish();
    return { operation: 'ListAccounts' };
  },
  DeleteAccount: (p) => {
    const accountId = p.required(ACCOUNT_ID);
    p.finish();
    return { operation: 'DeleteAccount', accountId };
  },
  CreateUser: (p) => {
    const userName = p.required(NEW_USER_NAME);
    const path = p.optional(PATH) ?? '/';
    p.finish();
    return { operation: 'CreateUser', userName, path };
  },
  GetUser: (p) => {
    const userName = p.optional(USER_NAME);
    p.finish();
    return { operation: 'GetUser', ...opt('userName', userName) };
  },
  ListUsers: (p) => {
    const pathPrefix = p.optional(PATH_PREFIX) ?? '/';
    const marker = p.optional(MARKER);
    const maxItems = p.maxItems();
    p.finish();
    return { operation: 'ListUsers', pathPrefix, ...opt('marker', marker), maxItems };
  },
  DeleteUser: (p) => {
    const userName = p.required(USER_NAME);
    p.finish();
    return { operation: 'DeleteUser', userName };
  },
  CreateAccessKey: (p) => {
    const userName = p.optional(USER_NAME);
    p.finish();
    return { operation: 'CreateAccessKey', ...opt('userName', userName) };
  },
  ListAccessKeys: (p) => {
    const userName = p.optional(USER_NAME);
    const marker = p.optional(MARKER);
    const maxItems = p.maxItems();
    p.finish();
    return { operation: 'ListAccessKeys', ...opt('userName', userName), ...opt('marker', marker), maxItems };
  },
  UpdateAccessKey: (p) => {
    const userName = p.optional(USER_NAME);
    const accessKeyId = p.required(ACCESS_KEY_ID);
    const status = p.required(STATUS) as IamAccessKeyStatus;
    p.finish();
    return { operation: 'UpdateAccessKey', ...opt('userName', userName), accessKeyId, status };
  },
  DeleteAccessKey: (p) => {
    const userName = p.optional(USER_NAME);
    const accessKeyId = p.required(ACCESS_KEY_ID);
    p.finish();
    return { operation: 'DeleteAccessKey', ...opt('userName', userName), accessKeyId };
  },
  PutUserPolicy: (p) => {
    const userName = p.required(USER_NAME);
    const policyName = p.required(POLICY_NAME);
    const policyDocument = p.required(POLICY_DOCUMENT);
    p.finish();
    return { operation: 'PutUserPolicy', userName, policyName, policyDocument };
  },
  GetUserPolicy: (p) => {
    const userName = p.required(USER_NAME);
    const policyName = p.required(POLICY_NAME);
    p.finish();
    return { operation: 'GetUserPolicy', userName, policyName };
  },
  ListUserPolicies: (p) => {
    const userName = p.required(USER_NAME);
    const marker = p.optional(MARKER);
    const maxItems = p.maxItems();
    p.finish();
    return { operation: 'ListUserPolicies', userName, ...opt('marker', marker), maxItems };
  },
  DeleteUserPolicy: (p) => {
    const userName = p.required(USER_NAME);
    const policyName = p.required(POLICY_NAME);
    p.finish();
    return { operation: 'DeleteUserPolicy', userName, policyName };
  },
};

/**
 * Parses an `application/x-www-form-urlencoded` IAM Query request body into one typed request.
 * Parameters the action does not take (Tags, PermissionsBoundary, …) are ignored.
 */
export function parseIamRequest(body: string): IamRequest {
  const reader = new ParamReader(new URLSearchParams(body));
  const action = reader.raw('Action');
  if (action === undefined || action === '') throw new IamError('MissingAction');
  const version = reader.raw('Version') ?? IAM_API_VERSION;
  // AWS answers an unknown version the same way as an unknown action.
  if (!isIamOperation(action) || version !== IAM_API_VERSION) {
    throw new IamError('InvalidAction', `Could not find operation ${action} for version ${version}`);
  }
  return PARSERS[action](reader);
}
