import type { IncomingHttpHeaders } from 'node:http';
import {
  ALL_USERS_GROUP,
  AUTHENTICATED_USERS_GROUP,
  type AclGrant,
  type AclGrantee,
  type AclPermission,
} from '../../identity-stream/canned-acl.js';
import type { AccountRef } from '../../identity-stream/account.js';
import { S3Error } from '../../errors/s3.error.js';
import { MAX_ACL_GRANTS } from '../xml/access-control-policy.parser.js';

/** The x-amz-grant-* headers, each naming the permission its grantees get. */
export const GRANT_HEADERS: readonly (readonly [string, AclPermission])[] = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

/** The account a canonical id names, with its display name; undefined for an unknown id. */
export type AccountLookup = (canonicalId: string) => AccountRef | undefined;

/** Whether the request carries any ACL header: x-amz-acl or an x-amz-grant-*. */
export function aclHeadersSent(headers: IncomingHttpHeaders): boolean {
  return headers['x-amz-acl'] !== undefined || GRANT_HEADERS.some(([name]) => headers[name] !== undefined);
}

/**
 * The grants of the x-amz-grant-* headers, in header order (`id="…", uri="…", emailAddress="…"`,
 * comma-separated), or undefined when none was sent. Each grantee is checked (ADR 0013): an id
 * must be an account's canonical id, a URI the AllUsers or AuthenticatedUsers group; an email
 * address is UnresolvableGrantByEmailAddress, as Sediment's accounts have none.
 */
export function grantHeaderGrants(headers: IncomingHttpHeaders, accounts: AccountLookup): AclGrant[] | undefined {
  const sent = GRANT_HEADERS.filter(([name]) => headers[name] !== undefined);
  if (sent.length === 0) return undefined;
  const grants: AclGrant[] = [];
  for (const [name, permission] of sent) {
    const value = headers[name];
    for (const grantee of parseGranteeList(Array.isArray(value) ? value.join(',') : String(value))) {
      grants.push(resolvedGrant({ grantee, permission }, accounts));
    }
  }
  if (grants.length > MAX_ACL_GRANTS) throw new S3Error('MalformedACLError');
  return grants;
}

/** `id="a", uri="b"`: each entry a name, `=`, and a value quoted or not. */
function parseGranteeList(value: string): AclGrantee[] {
  const grantees: AclGrantee[] = [];
  for (const entry of value.split(',')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^"\s]*))\s*$/.exec(entry);
    if (!match) throw new S3Error('InvalidArgument', { message: 'Invalid grant header', details: { ArgumentName: 'x-amz-grant', ArgumentValue: value } });
    const kind = match[1]!;
    const identity = (match[2] ?? match[3] ?? '').trim();
    if (kind === 'id') grantees.push({ type: 'CanonicalUser', id: identity, displayName: '' });
    else if (kind === 'uri') grantees.push({ type: 'Group', uri: identity });
    else if (kind === 'emailAddress') throw new S3Error('UnresolvableGrantByEmailAddress');
    else throw new S3Error('InvalidArgument', { message: 'Argument format not recognized', details: { ArgumentName: kind, ArgumentValue: identity } });
  }
  return grantees;
}

/**
 * A grant as stored: a canonical user must be an account (its display name taken from the
 * directory, never from the request), a group AllUsers or AuthenticatedUsers.
 */
export function resolvedGrant(grant: AclGrant, accounts: AccountLookup): AclGrant {
  const { grantee } = grant;
  if (grantee.type === 'Group') {
    if (grantee.uri !== ALL_USERS_GROUP && grantee.uri !== AUTHENTICATED_USERS_GROUP) {
      throw new S3Error('InvalidArgument', { message: 'Invalid group uri', details: { ArgumentName: 'uri', ArgumentValue: grantee.uri } });
    }
    return { grantee: { type: 'Group', uri: grantee.uri }, permission: grant.permission };
  }
  const account = /^[0-9a-f]{64}$/.test(grantee.id) ? accounts(grantee.id) : undefined;
  if (!account) throw new S3Error('InvalidArgument', { message: 'Invalid id', details: { ArgumentName: 'CanonicalUser/ID', ArgumentValue: grantee.id } });
  const resolved: AclGrantee = { type: 'CanonicalUser', id: grantee.id, displayName: account.name };
  return { grantee: resolved, permission: grant.permission };
}
