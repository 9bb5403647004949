import { element, renderXml, textElement, type XmlElement, type XmlNode } from '../xml/xml.writer.js';
import type { IamError } from '../../errors/iam.error.js';
import type { IamOperation } from './iam-operations.js';
import type { IamAccessKeyStatus } from './iam-request.parser.js';

export const IAM_XML_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamUserView {
  /** Absent for the account root (GetUser without UserName under root credentials), as in IAM. */
  userName?: string;
  userId: string;
  arn: string;
  path?: string;
  /** Any ISO 8601 instant; written the way IAM writes dates. Absent for the default account's root, created by configuration. */
  createDate?: string;
}

export interface IamAccessKeyView {
  userName: string;
  accessKeyId: string;
  status: IamAccessKeyStatus;
  createDate: string;
}

/** The only response that ever carries the secret. */
export interface IamNewAccessKeyView extends IamAccessKeyView {
  secretAccessKey: string;
}

/** `marker` is where the next page starts; present only when isTruncated. */
export interface IamListUsersView {
  users: readonly IamUserView[];
  isTruncated: boolean;
  marker?: string;
}

export interface IamListAccessKeysView {
  userName: string;
  keys: readonly IamAccessKeyView[];
  isTruncated: boolean;
  marker?: string;
}

export interface IamUserPolicyView {
  userName: string;
  policyName: string;
  /** The document as stored (plain JSON text); it is URL-encoded on the way out, as IAM does. */
  policyDocument: string;
}

export interface IamListUserPoliciesView {
  policyNames: readonly string[];
  isTruncated: boolean;
  marker?: string;
}

export interface IamAccountView {
  accountId: string;
  accountName: string;
  canonicalUserId: string;
  /** Absent for the default account, which configuration made. */
  createDate?: string;
}

/** CreateAccount's answer: the only one that ever carries the root secret. */
export interface IamNewAccountView extends IamAccountView {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What each operation's handler hands to the renderer; undefined for the result-less ones. */
export interface IamResultByOperation {
  CreateAccount: IamNewAccountView;
  ListAccounts: { accounts: readonly IamAccountView[] };
  DeleteAccount: undefined;
  CreateUser: IamUserView;
  GetUser: IamUserView;
  ListUsers: IamListUsersView;
  DeleteUser: undefined;
  CreateAccessKey: IamNewAccessKeyView;
  ListAccessKeys: IamListAccessKeysView;
  UpdateAccessKey: undefined;
  DeleteAccessKey: undefined;
  PutUserPolicy: undefined;
  GetUserPolicy: IamUserPolicyView;
  ListUserPolicies: IamListUserPoliciesView;
  DeleteUserPolicy: undefined;
}

/**
 * IAM writes instants as ISO 8601 in UTC without milliseconds (`2026-11-27T18:00:00Z`);
 * botocore and the JS SDK read either form.
 */
export function formatIamDate(iso: string): string {
  const ms = Date.parse(iso);
  // A programming error (a bad date in our own read model), surfaced as ServiceFailure.
  if (Number.isNaN(ms)) throw new Error(`Not an ISO 8601 date: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * RFC 3986 percent-encoding of every byte outside the unreserved set (space is %20, never '+'):
 * botocore decodes policy documents with urllib's unquote, which leaves '+' alone.
 */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function userElement(name: string, user: IamUserView): XmlElement {
  return element(name, [
    ...(user.path !== undefined ? [textElement('Path', user.path)] : []),
    ...(user.userName !== undefined ? [textElement('UserName', user.userName)] : []),
    textElement('UserId', user.userId),
    textElement('Arn', user.arn),
    ...(user.createDate !== undefined ? [textElement('CreateDate', formatIamDate(user.createDate))] : []),
  ]);
}

function accessKeyMetadata(key: IamAccessKeyView): XmlElement {
  return element('member', [
    textElement('UserName', key.userName),
    textElement('AccessKeyId', key.accessKeyId),
    textElement('Status', key.status),
    textElement('CreateDate', formatIamDate(key.createDate)),
  ]);
}

/** IsTruncated always, Marker only when a next page exists (as IAM does). */
function paging(view: { isTruncated: boolean; marker?: string }): XmlElement[] {
  const truncated = textElement('IsTruncated', view.isTruncated);
  return view.isTruncated && view.marker !== undefined ? [truncated, textElement('Marker', view.marker)] : [truncated];
}

/** The children of each `<{Op}Result>`; undefined for operations IAM answers without one. */
type ResultBodies = { readonly [Op in IamOperation]: (result: IamResultByOperation[Op]) => XmlNode[] | undefined };

const accountChildren = (account: IamAccountView): XmlElement[] => [
  textElement('AccountId', account.accountId),
  textElement('AccountName', account.accountName),
  textElement('CanonicalUserId', account.canonicalUserId),
  ...(account.createDate === undefined ? [] : [textElement('CreateDate', formatIamDate(account.createDate))]),
];

const RESULT_BODIES: ResultBodies = {
  CreateAccount: (account) => [
    element('Account', [
      ...accountChildren(account),
      textElement('AccessKeyId', account.accessKeyId),
      textElement('SecretAccessKey', account.secretAccessKey),
    ]),
  ],
  ListAccounts: (list) => [element('Accounts', list.accounts.map((account) => element('member', accountChildren(account))))],
  DeleteAccount: () => undefined,
  CreateUser: (user) => [userElement('User', user)],
  GetUser: (user) => [userElement('User', user)],
  ListUsers: (page) => [element('Users', page.users.map((user) => userElement('member', user))), ...paging(page)],
  DeleteUser: () => undefined,
  CreateAccessKey: (key) => [
    element('AccessKey', [
      textElement('UserName', key.userName),
      textElement('AccessKeyId', key.accessKeyId),
      textElement('Status', key.status),
      textElement('SecretAccessKey', key.secretAccessKey),
      textElement('CreateDate', formatIamDate(key.createDate)),
    ]),
  ],
  ListAccessKeys: (page) => [
    // Not in the service model, but IAM sends it; SDKs skip unknown elements.
    textElement('UserName', page.userName),
    element('AccessKeyMetadata', page.keys.map(accessKeyMetadata)),
    ...paging(page),
  ],
  UpdateAccessKey: () => undefined,
  DeleteAccessKey: () => undefined,
  PutUserPolicy: () => undefined,
  GetUserPolicy: (policy) => [
    textElement('UserName', policy.userName),
    textElement('PolicyName', policy.policyName),
    textElement('PolicyDocument', encodePolicyDocument(policy.policyDocument)),
  ],
  ListUserPolicies: (page) => [
    element('PolicyNames', page.policyNames.map((name) => textElement('member', name))),
    ...paging(page),
  ],
  DeleteUserPolicy: () => undefined,
};

/**
 * `<{Op}Response xmlns="…"><{Op}Result>…</{Op}Result><ResponseMetadata><RequestId>…` — the
 * Result element only for operations that return something.
 */
export function renderIamResult<Op extends IamOperation>(
  operation: Op,
  result: IamResultByOperation[Op],
  requestId: string,
): string {
  const body = RESULT_BODIES[operation](result);
  return renderXml(
    element(
      `${operation}Response`,
      [
        ...(body === undefined ? [] : [element(`${operation}Result`, body)]),
        element('ResponseMetadata', [textElement('RequestId', requestId)]),
      ],
      { xmlns: IAM_XML_NAMESPACE },
    ),
  );
}

export const renderCreateUser = (user: IamUserView, requestId: string): string =>
  renderIamResult('CreateUser', user, requestId);
export const renderGetUser = (user: IamUserView, requestId: string): string =>
  renderIamResult('GetUser', user, requestId);
export const renderListUsers = (page: IamListUsersView, requestId: string): string =>
  renderIamResult('ListUsers', page, requestId);
export const renderDeleteUser = (requestId: string): string => renderIamResult('DeleteUser', undefined, requestId);
export const renderCreateAccessKey = (key: IamNewAccessKeyView, requestId: string): string =>
  renderIamResult('CreateAccessKey', key, requestId);
export const renderListAccessKeys = (page: IamListAccessKeysView, requestId: string): string =>
  renderIamResult('ListAccessKeys', page, requestId);
export const renderUpdateAccessKey = (requestId: string): string =>
  renderIamResult('UpdateAccessKey', undefined, requestId);
export const renderDeleteAccessKey = (requestId: string): string =>
  renderIamResult('DeleteAccessKey', undefined, requestId);
export const renderPutUserPolicy = (requestId: string): string => renderIamResult('PutUserPolicy', undefined, requestId);
export const renderGetUserPolicy = (policy: IamUserPolicyView, requestId: string): string =>
  renderIamResult('GetUserPolicy', policy, requestId);
export const renderListUserPolicies = (page: IamListUserPoliciesView, requestId: string): string =>
  renderIamResult('ListUserPolicies', page, requestId);
export const renderDeleteUserPolicy = (requestId: string): string =>
  renderIamResult('DeleteUserPolicy', undefined, requestId);

/** `<ErrorResponse xmlns="…"><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function renderIamError(error: IamError, requestId: string): string {
  return renderXml(
    element(
      'ErrorResponse',
      [
        element('Error', [
          textElement('Type', error.type),
          textElement('Code', error.code),
          textElement('Message', error.message),
        ]),
        textElement('RequestId', requestId),
      ],
      { xmlns: IAM_XML_NAMESPACE },
    ),
  );
}
