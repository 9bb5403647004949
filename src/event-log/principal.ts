import { createHash } from 'node:crypto';

/** Who caused a request: travels from the IAM guard into commands and every event. */
export interface Principal {
  accessKeyId: string;
  /** e.g. arn:aws:iam::000000000000:root or arn:aws:iam::000000000000:user/alice */
  arn: string;
  /** S3's canonical user id (64 hex chars), shown as Owner/ID. */
  canonicalId: string;
  displayName: string;
}

export const SEDIMENT_ACCOUNT_ID = '000000000000';

export function rootPrincipal(accessKeyId: string): Principal {
  const arn = `arn:aws:iam::${SEDIMENT_ACCOUNT_ID}:root`;
  return {
    accessKeyId,
    arn,
    canonicalId: createHash('sha256').update(arn).digest('hex'),
    displayName: 'root',
  };
}
