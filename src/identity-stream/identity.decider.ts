import { S3Error } from '../errors/s3.error.js';
import { sameBucketAcl, type BucketAcl } from './canned-acl.js';
import type { IdentityState } from './identity.directory.js';
import { accountOfDocument } from './identity.documents.js';
import { MalformedPolicyError, parsePolicyDocument, type PolicyDocument } from '../policy/policy-document.js';
import { IamError } from '../errors/iam.error.js';
import { accountCanonicalId, DEFAULT_ACCOUNT_NAME } from './account.js';
import type { SealedSecret } from './secret-box.js';
import type { AccessKeyStatus, IdentityEvent } from './identity.events.js';

/** AWS quotas: two access keys per user; 2,048 characters of inline policy per user (whitespace excluded). */
export const MAX_ACCESS_KEYS_PER_USER = 2;
export const MAX_USER_INLINE_POLICY_CHARS = 2048;
export const SEDIMENT_ACCOUNT = '000000000000';

export type IdentityCommand =
  | { type: 'CreateAccount'; data: { accountId: string; name: string; rootAccessKeyId: string; rootSecret: SealedSecret } }
  | { type: 'DeleteAccount'; data: { accountId: string } }
  | { type: 'CreateUser'; data: { accountId: string; userName: string; path: string; userId: string } }
  | { type: 'DeleteUser'; data: { accountId: string; userName: string } }
  | { type: 'CreateAccessKey'; data: { accountId: string; userName: string; accessKeyId: string; secret: SealedSecret } }
  | { type: 'UpdateAccessKey'; data: { accountId: string; userName: string; accessKeyId: string; status: AccessKeyStatus } }
  | { type: 'DeleteAccessKey'; data: { accountId: string; userName: string; accessKeyId: string } }
  | { type: 'PutUserPolicy'; data: { accountId: string; userName: string; policyName: string; policyDocument: string } }
  | { type: 'DeleteUserPolicy'; data: { accountId: string; userName: string; policyName: string } }
  | { type: 'PutBucketPolicy'; data: { bucket: string; bucketId: string; policy: string } }
  | { type: 'DeleteBucketPolicy'; data: { bucket: string; bucketId: string } }
  | { type: 'PutBucketAcl'; data: { bucket: string; bucketId: string; acl: BucketAcl } };

export const userArn = (userName: string, path = '/', accountId = SEDIMENT_ACCOUNT): string => `arn:aws:iam::${accountId}:user${path}${userName}`;

/**
 * Decides identity commands against the identity read model: the events to append, or an
 * IAM / S3 error. Pure: ids, secrets and time come in with the command. A command that changes
 * nothing (same status, same policy, deleting an absent bucket policy) records nothing.
 */
export function decideIdentity(command: IdentityCommand, state: IdentityState, now: Date): IdentityEvent[] {
  const at = now.toISOString();
  switch (command.type) {
    case 'CreateAccount': {
      const { accountId, name, rootAccessKeyId, rootSecret } = command.data;
      if (state.accountExists(accountId)) throw new IamError('EntityAlreadyExists', `Account ${accountId} already exists.`);
      const taken = name.toLowerCase();
      if (taken === DEFAULT_ACCOUNT_NAME || state.accounts().some((a) => a.name.toLowerCase() === taken)) {
        throw new IamError('EntityAlreadyExists', `Account with name ${name} already exists.`);
      }
      if (state.accessKey(rootAccessKeyId) || state.accounts().some((a) => a.rootAccessKeyId === rootAccessKeyId)) {
        throw new IamError('EntityAlreadyExists', `Access key ${rootAccessKeyId} already exists.`);
      }
      const canonicalId = accountCanonicalId(accountId);
      return [{ type: 'AccountCreated', data: { accountId, name, canonicalId, rootAccessKeyId, rootSecret, createdAt: at } }];
    }
    case 'DeleteAccount': {
      const { accountId } = command.data;
      if (accountId === SEDIMENT_ACCOUNT) throw new IamError('DeleteConflict', 'The default account cannot be deleted.');
      if (!state.account(accountId)) throw new IamError('NoSuchEntity', `The account with id ${accountId} cannot be found.`);
      if (state.users(accountId).length > 0) {
        throw new IamError('DeleteConflict', 'Cannot delete entity, must delete the account\'s users first.');
      }
      return [{ type: 'AccountDeleted', data: { accountId, deletedAt: at } }];
    }
    case 'CreateUser': {
      const { accountId, userName, path, userId } = command.data;
      if (!state.accountExists(accountId)) throw new IamError('NoSuchEntity', `The account with id ${accountId} cannot be found.`);
      if (state.user(accountId, userName)) throw new IamError('EntityAlreadyExists', `User with name ${userName} already exists.`);
      return [{ type: 'UserCreated', data: { accountId, userName, userId, arn: userArn(userName, path, accountId), path, createdAt: at } }];
    }
    case 'DeleteUser': {
      const { accountId } = command.data;
      const user = requireUser(state, accountId, command.data.userName);
      if (state.accessKeysOf(accountId, user.userName).length > 0) {
        throw new IamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
      }
      if (state.userPoliciesOf(accountId, user.userName).length > 0) {
        throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      }
      return [{ type: 'UserDeleted', data: { accountId, userName: user.userName, userId: user.userId, deletedAt: at } }];
    }
    case 'CreateAccessKey': {
      const { accountId, userName, accessKeyId, secret } = command.data;
      requireUser(state, accountId, userName);
      if (state.accessKeysOf(accountId, userName).length >= MAX_ACCESS_KEYS_PER_USER) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
      }
      if (state.accessKey(accessKeyId) || state.accountByRootKey(accessKeyId)) throw new IamError('EntityAlreadyExists', `Access key ${accessKeyId} already exists.`);
      return [{ type: 'AccessKeyCreated', data: { accountId, userName, accessKeyId, status: 'Active', secret, createdAt: at } }];
    }
    case 'UpdateAccessKey': {
      const { accountId, userName, accessKeyId, status } = command.data;
      const key = requireAccessKey(state, accountId, userName, accessKeyId);
      if (key.status === status) return [];
      return [{ type: 'AccessKeyStatusChanged', data: { accountId, userName, accessKeyId, status, changedAt: at } }];
    }
    case 'DeleteAccessKey': {
      const { accountId, userName, accessKeyId } = command.data;
      requireAccessKey(state, accountId, userName, accessKeyId);
      return [{ type: 'AccessKeyDeleted', data: { accountId, userName, accessKeyId, deletedAt: at } }];
    }
    case 'PutUserPolicy': {
      const { accountId, userName, policyName, policyDocument } = command.data;
      requireUser(state, accountId, userName);
      parseOrRefuse(policyDocument, 'identity');
      const others = state.userPoliciesOf(accountId, userName).filter((p) => p.policyName !== policyName);
      const size = [...others.map((p) => p.policyDocument), policyDocument].reduce((n, doc) => n + doc.replace(/\s/g, '').length, 0);
      if (size > MAX_USER_INLINE_POLICY_CHARS) {
        throw new IamError('LimitExceeded', `Maximum policy size of ${MAX_USER_INLINE_POLICY_CHARS} bytes exceeded for user ${userName}`);
      }
      if (state.userPolicy(accountId, userName, policyName)?.policyDocument === policyDocument) return [];
      return [{ type: 'UserPolicyPut', data: { accountId, userName, policyName, policyDocument, putAt: at } }];
    }
    case 'DeleteUserPolicy': {
      const { accountId, userName, policyName } = command.data;
      requireUser(state, accountId, userName);
      if (!state.userPolicy(accountId, userName, policyName)) {
        throw new IamError('NoSuchEntity', `The user policy with name ${policyName} cannot be found.`);
      }
      return [{ type: 'UserPolicyDeleted', data: { accountId, userName, policyName, deletedAt: at } }];
    }
    case 'PutBucketPolicy': {
      const { bucket, bucketId, policy } = command.data;
      assertBucketPolicy(policy, bucket, state);
      const current = state.bucketPolicy(bucket);
      if (current?.bucketId === bucketId && current.policy === policy) return [];
      return [{ type: 'BucketPolicyPut', data: { bucket, bucketId, policy, putAt: at } }];
    }
    case 'DeleteBucketPolicy': {
      const { bucket, bucketId } = command.data;
      // S3 answers 204 whether or not there was one; a policy of an earlier bucket of that name is already void.
      if (state.bucketPolicy(bucket)?.bucketId !== bucketId) return [];
      return [{ type: 'BucketPolicyDeleted', data: { bucket, bucketId, deletedAt: at } }];
    }
    case 'PutBucketAcl': {
      const { bucket, bucketId, acl } = command.data;
      const current = state.bucketAcl(bucket);
      const effective = current?.bucketId === bucketId ? current.acl : 'private';
      if (sameBucketAcl(effective, acl)) return [];
      if (typeof acl !== 'string') return [{ type: 'BucketAclGrantsPut', data: { bucket, bucketId, grants: acl.grants, putAt: at } }];
      return [{ type: 'BucketAclPut', data: { bucket, bucketId, acl, putAt: at } }];
    }
    default: {
      const exhaustive: never = command;
      throw new Error(`unhandled identity command ${JSON.stringify(exhaustive)}`);
    }
  }
}

function requireUser(state: IdentityState, accountId: string, userName: string) {
  const user = state.user(accountId, userName);
  if (!user) throw new IamError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
  return user;
}

function requireAccessKey(state: IdentityState, accountId: string, userName: string, accessKeyId: string) {
  requireUser(state, accountId, userName);
  const key = state.accessKey(accessKeyId);
  if (!key || key.userName !== userName || accountOfDocument(key) !== accountId) {
    throw new IamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

function parseOrRefuse(json: string, kind: 'identity'): PolicyDocument {
  try {
    return parsePolicyDocument(json, kind);
  } catch (error) {
    if (error instanceof MalformedPolicyError) throw new IamError('MalformedPolicyDocument', error.reason);
    throw error;
  }
}

/**
 * A bucket policy must parse, may only name this bucket and its objects as resources, and may
 * only name principals that exist (AWS checks both when the policy is put).
 */
function assertBucketPolicy(policy: string, bucket: string, state: IdentityState): void {
  let doc: PolicyDocument;
  try {
    doc = parsePolicyDocument(policy, 'resource');
  } catch (error) {
    if (error instanceof MalformedPolicyError) throw new S3Error('MalformedPolicy', { message: error.reason });
    throw error;
  }
  for (const statement of doc.statements) {
    for (const resource of [...(statement.resource ?? []), ...(statement.notResource ?? [])]) {
      if (!resourceNamesBucket(resource, bucket)) throw new S3Error('MalformedPolicy', { message: 'Policy has invalid resource' });
    }
    for (const spec of [statement.principal, statement.notPrincipal]) {
      if (spec === undefined || spec === '*') continue;
      for (const [type, ids] of Object.entries(spec)) {
        if (type !== 'AWS' || !ids.every((id) => principalExists(id, state))) {
          throw new S3Error('MalformedPolicy', { message: 'Invalid principal in policy' });
        }
      }
    }
  }
}

function resourceNamesBucket(resource: string, bucket: string): boolean {
  const prefix = 'arn:aws:s3:::';
  if (!resource.startsWith(prefix)) return false;
  const rest = resource.slice(prefix.length);
  const slash = rest.indexOf('/');
  return (slash === -1 ? rest : rest.slice(0, slash)) === bucket;
}

/** A bucket policy may name any existing account (by id or root ARN) or user, of any account. */
function principalExists(id: string, state: IdentityState): boolean {
  if (id === '*') return true;
  const account = /^\d{12}$/.test(id) ? id : /^arn:aws:iam::(\d{12}):root$/.exec(id)?.[1];
  if (account !== undefined) return state.accountExists(account);
  return state.userByArn(id) !== undefined;
}

/** The account id of an IAM ARN (`arn:aws:iam::<account>:…`). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
