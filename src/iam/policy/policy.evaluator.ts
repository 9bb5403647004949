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

function principalApplies(
  statement: PolicyStatement,
  source: 'identity' | 'resource',
  principal: AuthorizationRequest['principal'],
): boolean {
  if (statement.principal) return principalMatches(statement.principal, principal);
  if (statement.notPrincipal) {
    // AWS lets Allow + NotPrincipal reach anonymous callers; we keep anonymous access to Principal "*".
    if (principal.anonymous && statement.effect === 'Allow') return false;
    return !principalMatches(statement.notPrincipal, principal);
  }
  // Identity policy statements apply to the caller they are attached to; a resource policy
  // statement without a principal cannot be parsed, so never applies.
  return source === 'identity';
}

export function principalMatches(spec: PolicyPrincipal, principal: AuthorizationRequest['principal']): boolean {
  if (spec === '*') return true;
  const aws = spec['AWS'] ?? [];
  if (aws.includes('*')) return true;
  if (principal.anonymous) return false;
  const account = principal.arn.split(':')[4];
  return aws.some((id) => {
    if (id === principal.arn) return true;
    const root = /^(?:(\d{12})|arn:[^:]+:iam::(\d{12}):root)$/.exec(id);
    return root !== null && account !== undefined && account !== '' && (root[1] ?? root[2]) === account;
  });
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
