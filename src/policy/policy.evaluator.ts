import { evaluateConditions, variablesOf, type ConditionContext } from './condition-operators.js';
import type { Effect, PolicyDocument, PolicyPrincipal, PolicyStatement } from './policy-document.js';
import { wildcardMatches } from './wildcard.js';

/** What is asked: one IAM action on one resource, by one principal, with its condition keys. */
export interface AuthorizationRequest {
  /** e.g. `s3:GetObject`. */
  action: string;
  /** e.g. `arn:aws:s3:::bucket/key` (see `s3ResourceArn`). */
  resource: string;
  principal: { arn: string; anonymous: boolean };
  /** Condition keys, lower-cased names: `aws:sourceip`, `aws:securetransport`, `s3:prefix`, … */
  context: Record<string, string | string[] | undefined>;
}

export interface ApplicablePolicies {
  identity: readonly PolicyDocument[];
  /** The bucket policy, if the bucket has one. */
  resource?: PolicyDocument;
}

export type Decision = 'Allow' | 'Deny' | 'ImplicitDeny';

export interface MatchedStatement {
  source: 'identity' | 'resource';
  /** Index in `identity` (0 for the resource policy). */
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  effect: Effect;
}

export interface AuthorizationResult {
  decision: Decision;
  /** The statement that decided: the first explicit Deny, else the first Allow. */
  matched?: MatchedStatement;
}

/**
 * AWS policy evaluation for one account: an explicit Deny in any applicable policy wins;
 * otherwise an Allow from an identity policy or from the bucket policy grants; otherwise
 * ImplicitDeny. Anonymous requests are judged by the bucket policy alone, and only its
 * statements whose Principal is `"*"` / `{"AWS": "*"}` can allow them.
 */
export function evaluate(request: AuthorizationRequest, policies: ApplicablePolicies): AuthorizationResult {
  const candidates: Array<{ statement: PolicyStatement; doc: PolicyDocument; matched: MatchedStatement }> = [];
  const collect = (doc: PolicyDocument, source: 'identity' | 'resource', policyIndex: number) =>
    doc.statements.forEach((statement, statementIndex) =>
      candidates.push({
        statement,
        doc,
        matched: { source, policyIndex, statementIndex, effect: statement.effect, ...(statement.sid ? { sid: statement.sid } : {}) },
      }),
    );
  if (!request.principal.anonymous) policies.identity.forEach((doc, i) => collect(doc, 'identity', i));
  if (policies.resource) collect(policies.resource, 'resource', 0);

  const applicable = candidates.filter((c) => statementApplies(c.statement, c.doc, c.matched.source, request));
  const deny = applicable.find((c) => c.statement.effect === 'Deny');
  if (deny) return { decision: 'Deny', matched: deny.matched };
  const allow = applicable.find((c) => c.statement.effect === 'Allow');
  if (allow) return { decision: 'Allow', matched: allow.matched };
  return { decision: 'ImplicitDeny' };
}

/** Whether a statement's principal, action, resource and conditions all match the request. */
export function statementApplies(
  statement: PolicyStatement,
  doc: PolicyDocument,
  source: 'identity' | 'resource',
  request: AuthorizationRequest,
): boolean {
  const context: ConditionContext = request.context;
  const variables = doc.version === '2012-10-17' ? context : undefined;
  return (
    principalApplies(statement, source, request.principal) &&
    actionApplies(statement, request.action) &&
    resourceApplies(statement, request.resource, variables) &&
    evaluateConditions(statement.conditions, context)
  );
}

/**
 * Who the caller is, in the terms of a Principal element (IAM "AWS JSON policy elements:
 * Principal" and "NotPrincipal"): every signed caller belongs to an account, named by
 * `arn:aws:iam::<id>:root` or the bare id; an IAM user is also named by its own ARN.
 */
interface CallerNames {
  account: string;
  /** Undefined for the account's root user, which the account names. */
  userArn?: string;
}

function callerNames(principal: AuthorizationRequest['principal']): CallerNames | undefined {
  if (principal.anonymous) return undefined;
  const account = principal.arn.split(':')[4] ?? '';
  return ACCOUNT_ROOT.test(principal.arn) ? { account } : { account, userArn: principal.arn };
}

const ACCOUNT_ROOT = /^arn:[^:]+:iam::\d{12}:root$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Whether a principal spec names the account: its root ARN or its bare id. */
function namesAccount(spec: Exclude<PolicyPrincipal, '*'>, account: string): boolean {
  return (spec['AWS'] ?? []).some((id) => (ACCOUNT_ID.test(id) ? id : ACCOUNT_ROOT.test(id) ? id.split(':')[4] : undefined) === account);
}

function namesUser(spec: Exclude<PolicyPrincipal, '*'>, userArn: string | undefined): boolean {
  return userArn !== undefined && (spec['AWS'] ?? []).includes(userArn);
}

/**
 * Whether the statement's Principal / NotPrincipal covers the caller, following AWS:
 * - naming the account in an Allow delegates to IAM: it grants the account's root user, and an
 *   IAM user only through an Allow of its own identity policies (same-account evaluation);
 * - naming the account in a Deny denies every principal of the account;
 * - a Deny with NotPrincipal exempts a user only when both the user and its account are named;
 *   naming the account alone exempts its root user, not its users;
 * - an Allow with NotPrincipal (which AWS no longer supports) grants no one the statement names,
 *   nor anyone of an account it names, and never anonymous callers.
 */
function principalApplies(
  statement: PolicyStatement,
  source: 'identity' | 'resource',
  principal: AuthorizationRequest['principal'],
): boolean {
  const caller = callerNames(principal);
  const deny = statement.effect === 'Deny';
  if (statement.principal) {
    const spec = statement.principal;
    if (spec === '*' || (spec['AWS'] ?? []).includes('*')) return true;
    if (caller === undefined) return false;
    if (deny) return namesAccount(spec, caller.account) || namesUser(spec, caller.userArn);
    return caller.userArn === undefined ? namesAccount(spec, caller.account) : namesUser(spec, caller.userArn);
  }
  if (statement.notPrincipal) {
    const spec = statement.notPrincipal;
    if (spec === '*' || (spec['AWS'] ?? []).includes('*')) return false;
    if (caller === undefined) return deny;
    const account = namesAccount(spec, caller.account);
    const user = namesUser(spec, caller.userArn);
    if (deny) return !(account && (caller.userArn === undefined || user));
    return !account && !user;
  }
  // Identity policy statements apply to the caller they are attached to; a resource policy
  // statement without a principal cannot be parsed, so never applies.
  return source === 'identity';
}

function actionApplies(statement: PolicyStatement, action: string): boolean {
  const any = (patterns: readonly string[]) => patterns.some((p) => wildcardMatches(p, action, { ignoreCase: true }) === true);
  return statement.action ? any(statement.action) : !any(statement.notAction ?? []);
}

function resourceApplies(statement: PolicyStatement, resource: string, variables?: ConditionContext): boolean {
  const options = variables ? { resolve: variablesOf(variables) } : {};
  const test = (pattern: string): boolean | undefined => wildcardMatches(pattern, resource, options);
  if (statement.resource) return statement.resource.some((p) => test(p) === true);
  const results = (statement.notResource ?? []).map(test);
  if (results.some((r) => r === true)) return false;
  // An unresolvable policy variable in NotResource: only a Deny may apply, never a wider Allow.
  if (results.some((r) => r === undefined)) return statement.effect === 'Deny';
  return true;
}
