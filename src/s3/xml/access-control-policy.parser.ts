import { ACL_PERMISSIONS, type AclGrant, type AclGrantee, type AclPermission } from '../../identity-stream/canned-acl.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertOnlyWhitespace, isRecord, malformed, parseHardenedDocument, readSingleText } from './hardened-xml.js';

export interface AccessControlPolicyBody {
  /** The owner the client claims; the caller checks it against the bucket's. */
  owner: { id: string; displayName?: string };
  grants: AclGrant[];
}

/** AWS: "An ACL can have up to 100 grants". */
export const MAX_ACL_GRANTS = 100;

/** 100 grants with generous ids and display names stay well under this; parsed at once, so kept small. */
export const MAX_ACCESS_CONTROL_POLICY_BODY_BYTES = 64 * 1024;

/**
 * The body of PutBucketAcl (`aws s3api put-bucket-acl --access-control-policy …`):
 * `<AccessControlPolicy><Owner><ID/><DisplayName/>?</Owner><AccessControlList><Grant>
 * <Grantee xsi:type="…">…</Grantee><Permission/></Grant>*</AccessControlList>?</AccessControlPolicy>`.
 * Anything outside that schema → MalformedACLError, with the hardening of the other body parsers.
 *
 * The hardened parser drops attributes, so a grantee's kind comes from its content (ID → a
 * canonical user, URI → a group, EmailAddress → an account by email), which is what xsi:type
 * must say anyway.
 */
export function parseAccessControlPolicy(xml: string): AccessControlPolicyBody {
  let result: ParsedPolicy;
  try {
    result = parseDocument(xml);
  } catch (error) {
    // The shared helpers answer MalformedXML; for an ACL S3 names the same defect MalformedACLError.
    if (error instanceof S3Error && error.code === 'MalformedXML') throw new S3Error('MalformedACLError');
    throw error;
  }
  // Only once the whole document is valid: a malformed one is reported as such first.
  if (result.grantsByEmail) throw new S3Error('UnresolvableGrantByEmailAddress');
  return result.body;
}

interface ParsedPolicy {
  body: AccessControlPolicyBody;
  grantsByEmail: boolean;
}

function parseDocument(xml: string): ParsedPolicy {
  const root = parseHardenedDocument(xml, MAX_ACCESS_CONTROL_POLICY_BODY_BYTES, 'AccessControlPolicy');
  let owner: AccessControlPolicyBody['owner'] | undefined;
  let grants: ParsedGrant[] = [];
  for (const [name, value] of Object.entries(childrenOf(root))) {
    if (name === 'Owner') owner = readOwner(value);
    else if (name === 'AccessControlList') grants = readGrants(value);
    else throw malformed();
  }
  if (owner === undefined) throw malformed();
  return {
    body: { owner, grants: grants.flatMap((grant) => (grant === 'byEmail' ? [] : [grant])) },
    grantsByEmail: grants.includes('byEmail'),
  };
}

type ParsedGrant = AclGrant | 'byEmail';

function readOwner(value: unknown): AccessControlPolicyBody['owner'] {
  let id: string | undefined;
  let displayName: string | undefined;
  for (const [name, member] of Object.entries(membersOf(value))) {
    if (name === 'ID') id = readSingleText(member).trim();
    else if (name === 'DisplayName') displayName = readSingleText(member);
    else throw malformed();
  }
  if (id === undefined || id === '') throw malformed();
  return displayName === undefined ? { id } : { id, displayName };
}

function readGrants(value: unknown): ParsedGrant[] {
  const list = membersOf(value);
  for (const name of Object.keys(list)) if (name !== 'Grant') throw malformed();
  const grants = list.Grant ?? [];
  if (grants.length > MAX_ACL_GRANTS) throw malformed();
  return grants.map((grant) => {
    let grantee: AclGrantee | 'byEmail' | undefined;
    let permission: AclPermission | undefined;
    for (const [name, member] of Object.entries(childrenOf(grant))) {
      if (name === 'Grantee') grantee = readGrantee(member);
      else if (name === 'Permission') permission = readPermission(member);
      else throw malformed();
    }
    if (grantee === undefined || permission === undefined) throw malformed();
    return grantee === 'byEmail' ? 'byEmail' : { grantee, permission };
  });
}

const GRANTEE_IDENTITIES = ['ID', 'URI', 'EmailAddress'] as const;

function readGrantee(value: unknown): AclGrantee | 'byEmail' {
  const texts: Partial<Record<string, string>> = {};
  for (const [name, member] of Object.entries(membersOf(value))) {
    if (name !== 'DisplayName' && !(GRANTEE_IDENTITIES as readonly string[]).includes(name)) throw malformed();
    texts[name] = readSingleText(member);
  }
  const identities = GRANTEE_IDENTITIES.filter((name) => texts[name] !== undefined);
  const [kind] = identities;
  if (identities.length !== 1 || kind === undefined) throw malformed();
  const identity = (texts[kind] ?? '').trim();
  if (identity === '') throw malformed();
  if (kind === 'URI') return { type: 'Group', uri: identity };
  if (kind === 'EmailAddress') return 'byEmail';
  // Kept as sent; cannedAclFromGrants compares ids only.
  return { type: 'CanonicalUser', id: identity, displayName: texts.DisplayName ?? '' };
}

function readPermission(value: unknown): AclPermission {
  const text = readSingleText(value).trim();
  const permission = ACL_PERMISSIONS.find((candidate) => candidate === text);
  if (permission === undefined) throw malformed();
  return permission;
}

/** The child elements of an element that must occur exactly once. */
function membersOf(occurrences: unknown): Record<string, unknown[]> {
  if (!Array.isArray(occurrences) || occurrences.length !== 1) throw malformed();
  return childrenOf(occurrences[0]);
}

/** `<A></A>` and `<A/>` parse as an empty string: no children. Text beside children must be blank. */
function childrenOf(node: unknown): Record<string, unknown[]> {
  if (typeof node === 'string' && node.trim() === '') return {};
  if (!isRecord(node)) throw malformed();
  const children: Record<string, unknown[]> = {};
  for (const [name, member] of Object.entries(node)) {
    if (name === '#text') assertOnlyWhitespace(member);
    else if (Array.isArray(member)) children[name] = member;
    else throw malformed();
  }
  return children;
}
