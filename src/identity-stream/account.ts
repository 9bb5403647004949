import { createHash } from 'node:crypto';

/** The default account: the one whose root comes from configuration, and the only one before accounts. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

/** The display name of the default account, as S3 shows it in owner ids. */
export const DEFAULT_ACCOUNT_NAME = 'root';

/** An account as a principal needs it: its id and the name S3 shows as its display name. */
export interface AccountRef {
  accountId: string;
  name: string;
}

export const DEFAULT_ACCOUNT: AccountRef = { accountId: DEFAULT_ACCOUNT_ID, name: DEFAULT_ACCOUNT_NAME };

export const accountRootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

/** S3's canonical user id of an ARN: its SHA-256, so an account's is stable and derivable. */
export const canonicalIdOf = (arn: string): string => createHash('sha256').update(arn).digest('hex');

export const accountCanonicalId = (accountId: string): string => canonicalIdOf(accountRootArn(accountId));
