import type { PolicyDocument, PolicyPrincipal, PolicyStatement } from './policy-document.js';

/**
 * Condition keys whose fixed values make a statement non-public in S3's sense ("The meaning of
 * public", S3 Block Public Access): a grant to everyone limited to some addresses, networks,
 * accounts or organisations is not public. Lower-cased, as conditions are parsed.
 */
const RESTRICTING_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

/**
 * Whether a bucket policy is public (GetBucketPolicyStatus): it allows something to a wildcard
 * principal (`"*"`, `{"AWS": "*"}`, or any NotPrincipal), and no condition of that statement
 * pins one of the restricting keys to values without wildcards (an `aws:SourceIp` of
 * `0.0.0.0/0` restricts nothing).
 */
export function isPublicPolicy(policy: PolicyDocument): boolean {
  return policy.statements.some((statement) => statement.effect === 'Allow' && grantsEveryone(statement) && !restricted(statement));
}

function grantsEveryone(statement: PolicyStatement): boolean {
  if (statement.notPrincipal !== undefined) return true;
  return isWildcard(statement.principal);
}

function isWildcard(principal: PolicyPrincipal | undefined): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return (principal['AWS'] ?? []).includes('*');
}

function restricted(statement: PolicyStatement): boolean {
  return statement.conditions.some(
    (condition) =>
      RESTRICTING_KEYS.has(condition.key) &&
      !condition.operator.startsWith('Not') &&
      condition.values.length > 0 &&
      condition.values.every((value) => !value.includes('*') && value !== '0.0.0.0/0' && value !== '::/0'),
  );
}
