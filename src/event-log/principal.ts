import {
  accountCanonicalId,
  accountRootArn,
  canonicalIdOf,
  DEFAULT_ACCOUNT,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_ACCOUNT_NAME,
  type AccountRef,
} from '../identity-stream/account.js';

/** Who caused a request: travels from the IAM guard into commands and every event. */
export interface Principal {
  /** root: an account's root user (the bootstrap one from configuration, or an account's); user: an IAM user; anonymous: no signature. */
  type: 'root' | 'user' | 'anonymous';
  /** The 12-digit account the caller belongs to; empty for anonymous requests. */
  accountId: string;
  /** Empty for anonymous requests. */
  accessKeyId: string;
  /** e.g. arn:aws:iam::000000000000:root or arn:aws:iam::000000000000:user/alice */
  arn: string;
  /** S3's canonical user id (64 hex chars), shown as Owner/ID. */
  canonicalId: string;
  displayName: string;
  /** Set for IAM users. */
  userName?: string;
  userId?: string;
}

export const SEDIMENT_ACCOUNT_ID = DEFAULT_ACCOUNT_ID;

export { accountCanonicalId, accountRootArn, canonicalIdOf, DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_NAME, type AccountRef };

export function rootPrincipal(accessKeyId: string, account: AccountRef = DEFAULT_ACCOUNT): Principal {
  const arn = accountRootArn(account.accountId);
  return { type: 'root', accountId: account.accountId, accessKeyId, arn, canonicalId: canonicalIdOf(arn), displayName: account.name };
}

/**
 * An IAM user acts for its account: as in S3, what it creates is owned by the account (the
 * root's canonical id), so every user with s3:ListAllMyBuckets sees the account's buckets.
 */
export function userPrincipal(
  accessKeyId: string,
  user: { userName: string; userId: string; arn: string },
  account: AccountRef = DEFAULT_ACCOUNT,
): Principal {
  const root = rootPrincipal(accessKeyId, account);
  return {
    type: 'user',
    accountId: account.accountId,
    accessKeyId,
    arn: user.arn,
    canonicalId: root.canonicalId,
    displayName: root.displayName,
    userName: user.userName,
    userId: user.userId,
  };
}

/** S3's canonical id for anonymous requesters (what it records as the owner of their writes). */
export const ANONYMOUS_CANONICAL_ID = '65a011a29cdf8ec533ec3d1ccaae921c';

export function anonymousPrincipal(): Principal {
  return { type: 'anonymous', accountId: '', accessKeyId: '', arn: '*', canonicalId: ANONYMOUS_CANONICAL_ID, displayName: 'anonymous' };
}

/**
 * Who the lifecycle worker's events are attributed to (ADR 0022): S3 itself, as AWS names it in
 * a lifecycle notification's userIdentity (`s3.amazonaws.com`), narrowed to the lifecycle.
 * Recorded in the envelope's `principal`, so consumers and the notification relay tell an
 * expiry from a user's delete, and a replay folds the events without deciding them again.
 */
export const LIFECYCLE_PRINCIPAL = { accessKeyId: '', arn: 'lifecycle.s3.amazonaws.com' } as const;

export function isLifecyclePrincipal(principal: { arn: string }): boolean {
  return principal.arn === LIFECYCLE_PRINCIPAL.arn;
}
