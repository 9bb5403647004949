import type { IdentityEvent } from '../../identity-stream/identity.events.js';
import { accountField, identityIds, type IdentityDocument, type IdentityMutation } from '../../identity-stream/identity.documents.js';

export const IDENTITY_PROJECTION = 'identity';

/**
 * The identity read model as a pure function of one event and its offset. Each event fully
 * determines the document it touches, except a status change, which the caller's current
 * document completes (`current`), since the event carries only the new status.
 */
export function projectIdentity(
  event: IdentityEvent,
  offset: number,
  current: (id: string) => IdentityDocument | undefined,
): IdentityMutation[] {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      return [
        {
          op: 'put',
          doc: { _id: identityIds.account(d.accountId), kind: 'account', accountId: d.accountId, name: d.name, canonicalId: d.canonicalId, rootAccessKeyId: d.rootAccessKeyId, rootSecret: d.rootSecret, createDate: d.createdAt, offset },
        },
      ];
    }
    case 'AccountDeleted':
      return [{ op: 'delete', id: identityIds.account(event.data.accountId), offset }];
    case 'UserCreated': {
      const d = event.data;
      return [
        {
          op: 'put',
          doc: { _id: identityIds.user(d.accountId, d.userName), kind: 'user', ...accountField(d.accountId), userName: d.userName, userId: d.userId, arn: d.arn, path: d.path, createDate: d.createdAt, offset },
        },
      ];
    }
    case 'UserDeleted':
      return [{ op: 'delete', id: identityIds.user(event.data.accountId, event.data.userName), offset }];
    case 'AccessKeyCreated': {
      const d = event.data;
      return [
        {
          op: 'put',
          doc: { _id: identityIds.accessKey(d.accessKeyId), kind: 'accessKey', ...accountField(d.accountId), accessKeyId: d.accessKeyId, userName: d.userName, status: d.status, createDate: d.createdAt, secret: d.secret, offset },
        },
      ];
    }
    case 'AccessKeyStatusChanged': {
      const id = identityIds.accessKey(event.data.accessKeyId);
      const doc = current(id);
      if (doc?.kind !== 'accessKey') return [];
      return [{ op: 'put', doc: { ...doc, status: event.data.status, offset } }];
    }
    case 'AccessKeyDeleted':
      return [{ op: 'delete', id: identityIds.accessKey(event.data.accessKeyId), offset }];
    case 'UserPolicyPut': {
      const d = event.data;
      return [
        {
          op: 'put',
          doc: { _id: identityIds.userPolicy(d.accountId, d.userName, d.policyName), kind: 'userPolicy', ...accountField(d.accountId), userName: d.userName, policyName: d.policyName, policyDocument: d.policyDocument, offset },
        },
      ];
    }
    case 'UserPolicyDeleted':
      return [{ op: 'delete', id: identityIds.userPolicy(event.data.accountId, event.data.userName, event.data.policyName), offset }];
    case 'BucketPolicyPut': {
      const d = event.data;
      return [{ op: 'put', doc: { _id: identityIds.bucketPolicy(d.bucket), kind: 'bucketPolicy', bucket: d.bucket, bucketId: d.bucketId, policy: d.policy, offset } }];
    }
    case 'BucketPolicyDeleted':
      return [{ op: 'delete', id: identityIds.bucketPolicy(event.data.bucket), offset }];
    case 'BucketAclPut':
    case 'BucketAclGrantsPut': {
      const d = event.data;
      const acl = event.type === 'BucketAclPut' ? event.data.acl : { grants: event.data.grants };
      return [{ op: 'put', doc: { _id: identityIds.bucketAcl(d.bucket), kind: 'bucketAcl', bucket: d.bucket, bucketId: d.bucketId, acl, offset } }];
    }
    default: {
      const exhaustive: never = event;
      throw new Error(`unhandled identity event ${JSON.stringify(exhaustive)}`);
    }
  }
}
