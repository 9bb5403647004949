import { randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../../config/sediment.config.js';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { Principal } from '../../event-log/principal.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { Authorizer } from '../../iam/authorization/authorizer.js';
import { globalConditionKeys } from '../../iam/authorization/request-context.js';
import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import type { IdentityCommand } from '../../identity-stream/identity.decider.js';
import { SEDIMENT_ACCOUNT, userArn } from '../../identity-stream/identity.decider.js';
import { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import { requestFacts } from '../iam.guard.js';
import { SecretBox } from '../../identity-stream/secret-box.js';
import { IamError } from '../../errors/iam.error.js';
import { ACCOUNT_OPERATIONS, type IamOperation } from './iam-operations.js';
import { MetadataStore } from '../../metadata/metadata.store.port.js';
import { accountCanonicalId, accountRootArn, DEFAULT_ACCOUNT_NAME } from '../../event-log/principal.js';
import type { AccountDocument } from '../../identity-stream/identity.documents.js';
import { parseIamRequest, type IamRequest } from './iam-request.parser.js';
import { renderIamResult, type IamAccessKeyView, type IamAccountView, type IamResultByOperation, type IamUserView } from './iam-xml.renderers.js';

type Handler<Op extends IamOperation> = (
  request: Extract<IamRequest, { operation: Op }>,
  caller: Principal,
) => Promise<IamResultByOperation[Op]>;

/**
 * The IAM Query API (`aws iam …`): parses the form body the guard read, authorises the caller
 * for `iam:<Action>` on the target user, runs the operation and answers in IAM's XML. Changes
 * go through the identity decider and writer; reads come from the identity directory.
 */
@Injectable()
export class IamQueryApi {
  private readonly handlers: { [Op in IamOperation]: Handler<Op> } = {
    CreateAccount: async (r, caller) => {
      const accountId = this.unusedAccountId();
      const rootAccessKeyId = `AKIA${randomBase32(16)}`;
      // As for an access key: sealed before the event is written, returned once, in this response.
      const secretAccessKey = randomBytes(30).toString('base64');
      const rootSecret = this.box.seal(secretAccessKey, rootAccessKeyId);
      await this.change({ type: 'CreateAccount', data: { accountId, name: r.accountName, rootAccessKeyId, rootSecret } }, caller);
      const account = this.directory.account(accountId)!;
      return { ...accountView(account), accessKeyId: rootAccessKeyId, secretAccessKey };
    },
    ListAccounts: async () => {
      const byDefault = { accountId: SEDIMENT_ACCOUNT, accountName: DEFAULT_ACCOUNT_NAME, canonicalUserId: accountCanonicalId(SEDIMENT_ACCOUNT) };
      return { accounts: [byDefault, ...this.directory.accounts().map(accountView)] };
    },
    DeleteAccount: async (r, caller) => {
      const account = this.directory.account(r.accountId);
      // Buckets live on the bucket topic, which the identity decider does not see: checked here.
      if (account && (await this.metadata.listBuckets(account.canonicalId)).length > 0) {
        throw new IamError('DeleteConflict', 'Cannot delete entity, must delete the account\'s buckets first.');
      }
      await this.change({ type: 'DeleteAccount', data: { accountId: r.accountId } }, caller);
    },
    CreateUser: async (r, caller) => {
      const userId = `AIDA${randomBase32(17)}`;
      await this.change({ type: 'CreateUser', data: { accountId: caller.accountId, userName: r.userName, path: r.path, userId } }, caller);
      return userView(this.requireUser(caller, r.userName));
    },
    // As IAM: the root's own GetUser (no UserName) describes the root, with no UserName or Path.
    GetUser: async (r, caller) =>
      r.userName === undefined && caller.type === 'root' ? this.rootView(caller.accountId) : userView(this.requireUser(caller, targetUser(r.userName, caller))),
    ListUsers: async (r, caller) => {
      const users = this.directory.users(caller.accountId).filter((u) => u.path.startsWith(r.pathPrefix));
      const page = paginate(users, (u) => u.userName, r.marker, r.maxItems);
      return { users: page.items.map(userView), isTruncated: page.marker !== undefined, ...optionalMarker(page.marker) };
    },
    DeleteUser: async (r, caller) => {
      await this.change({ type: 'DeleteUser', data: { accountId: caller.accountId, userName: r.userName } }, caller);
    },
    CreateAccessKey: async (r, caller) => {
      const userName = targetUser(r.userName, caller);
      const accessKeyId = `AKIA${randomBase32(16)}`;
      // The only moment the plaintext exists outside a request's verification: it is sealed
      // before the event is written and returned once, in this response.
      const secretAccessKey = randomBytes(30).toString('base64');
      await this.change({ type: 'CreateAccessKey', data: { accountId: caller.accountId, userName, accessKeyId, secret: this.box.seal(secretAccessKey, accessKeyId) } }, caller);
      const key = this.directory.accessKey(accessKeyId)!;
      return { ...keyView(key), secretAccessKey };
    },
    ListAccessKeys: async (r, caller) => {
      const userName = targetUser(r.userName, caller);
      this.requireUser(caller, userName);
      const page = paginate(this.directory.accessKeysOf(caller.accountId, userName), (k) => k.accessKeyId, r.marker, r.maxItems);
      return { userName, keys: page.items.map(keyView), isTruncated: page.marker !== undefined, ...optionalMarker(page.marker) };
    },
    UpdateAccessKey: async (r, caller) => {
      const userName = targetUser(r.userName, caller);
      await this.change({ type: 'UpdateAccessKey', data: { accountId: caller.accountId, userName, accessKeyId: r.accessKeyId, status: r.status } }, caller);
    },
    DeleteAccessKey: async (r, caller) => {
      const userName = targetUser(r.userName, caller);
      await this.change({ type: 'DeleteAccessKey', data: { accountId: caller.accountId, userName, accessKeyId: r.accessKeyId } }, caller);
    },
    PutUserPolicy: async (r, caller) => {
      await this.change(
        { type: 'PutUserPolicy', data: { accountId: caller.accountId, userName: r.userName, policyName: r.policyName, policyDocument: r.policyDocument } },
        caller,
      );
    },
    GetUserPolicy: async (r, caller) => {
      this.requireUser(caller, r.userName);
      const policy = this.directory.userPolicy(caller.accountId, r.userName, r.policyName);
      if (!policy) throw new IamError('NoSuchEntity', `The user policy with name ${r.policyName} cannot be found.`);
      return { userName: r.userName, policyName: r.policyName, policyDocument: policy.policyDocument };
    },
    ListUserPolicies: async (r, caller) => {
      this.requireUser(caller, r.userName);
      const names = this.directory.userPoliciesOf(caller.accountId, r.userName).map((p) => p.policyName);
      const page = paginate(names, (n) => n, r.marker, r.maxItems);
      return { policyNames: page.items, isTruncated: page.marker !== undefined, ...optionalMarker(page.marker) };
    },
    DeleteUserPolicy: async (r, caller) => {
      await this.change({ type: 'DeleteUserPolicy', data: { accountId: caller.accountId, userName: r.userName, policyName: r.policyName } }, caller);
    },
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly directory: IdentityDirectory,
    private readonly authorizer: Authorizer,
    private readonly box: SecretBox,
    @Inject(SEDIMENT_CONFIG) private readonly config: SedimentConfig,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
  ) {}

  async handle(req: S3HttpRequest, res: Response): Promise<void> {
    if (req.method !== 'POST') throw new IamError('InvalidAction', 'IAM Query API requests are POSTed.');
    const request = parseIamRequest(req.sediment.iamBody ?? '');
    const caller = req.sediment.principal!;
    await this.authorize(request, caller, req);
    if (this.config.SEDIMENT_READ_ONLY && !/^(Get|List)/.test(request.operation)) {
      throw new IamError('AccessDenied', 'This Sediment instance serves a read-only snapshot.');
    }
    const result = await (this.handlers[request.operation] as Handler<IamOperation>)(request as never, caller);
    const xml = renderIamResult(request.operation, result as never, req.sediment.requestId);
    res.status(200);
    res.setHeader('Content-Type', 'text/xml');
    res.setHeader('Content-Length', Buffer.byteLength(xml));
    res.end(xml);
  }

  /**
   * `iam:<Action>` on the user it concerns (every user for ListUsers), as IAM authorises it.
   * Accounts are managed by the default account's root alone: no policy grants that.
   */
  private async authorize(request: IamRequest, caller: Principal, req: S3HttpRequest): Promise<void> {
    if (ACCOUNT_OPERATIONS.has(request.operation)) {
      if (caller.type === 'root' && caller.accountId === SEDIMENT_ACCOUNT) return;
      throw new IamError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sediment:${request.operation}: only the default account's root manages accounts`);
    }
    const target = 'userName' in request && request.userName !== undefined ? request.userName : caller.userName;
    const resource =
      request.operation === 'ListUsers' || target === undefined ? `arn:aws:iam::${caller.accountId}:user/*` : userArnOf(this.directory, caller.accountId, target);
    const decision = await this.authorizer.authorize({
      principal: caller,
      action: `iam:${request.operation}`,
      resource,
      context: globalConditionKeys(caller, requestFacts(req, new Date())),
    });
    if (!decision.allowed) {
      throw new IamError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: iam:${request.operation} on resource: ${resource}`,
      );
    }
  }

  private async change(change: IdentityCommand, caller: Principal): Promise<void> {
    await this.commands.execute(new ChangeIdentityCommand(change, caller));
  }

  /** A fresh 12-digit account id; the decider refuses one that exists, so a clash is retried here. */
  private unusedAccountId(): string {
    for (;;) {
      const id = String(randomInt(1, 1_000_000)).padStart(6, '0') + String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!this.directory.accountExists(id)) return id;
    }
  }

  /** A user of the caller's account: IAM acts within the account of whoever signs. */
  /** The account root as GetUser shows it: UserId the account id, its root ARN, the account's creation date where one is recorded. */
  private rootView(accountId: string): IamUserView {
    const created = this.directory.account(accountId)?.createDate;
    return { userId: accountId, arn: accountRootArn(accountId), ...(created !== undefined ? { createDate: created } : {}) };
  }

  private requireUser(caller: Principal, userName: string) {
    const user = this.directory.user(caller.accountId, userName);
    if (!user) throw new IamError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
    return user;
  }
}

/** Operations on "the caller's own user" need a user: the root's keys come from configuration. */
function targetUser(userName: string | undefined, caller: Principal): string {
  const target = userName ?? caller.userName;
  if (target === undefined) throw new IamError('ValidationError', 'Must specify userName when calling with non-User credentials');
  return target;
}

function userArnOf(directory: IdentityDirectory, accountId: string, userName: string): string {
  return directory.user(accountId, userName)?.arn ?? userArn(userName, '/', accountId);
}

function userView(user: { userName: string; userId: string; arn: string; path: string; createDate: string }): IamUserView {
  return { userName: user.userName, userId: user.userId, arn: user.arn, path: user.path, createDate: user.createDate };
}

function accountView(account: AccountDocument): IamAccountView {
  return { accountId: account.accountId, accountName: account.name, canonicalUserId: account.canonicalId, createDate: account.createDate };
}

function keyView(key: IamAccessKeyView): IamAccessKeyView {
  return { userName: key.userName, accessKeyId: key.accessKeyId, status: key.status, createDate: key.createDate };
}

function optionalMarker(marker: string | undefined): { marker?: string } {
  return marker === undefined ? {} : { marker };
}

/** Items sorted by `keyOf`, from the one named by `marker`; the marker of the next page if any. */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, maxItems: number) {
  const start = marker === undefined ? 0 : items.findIndex((item) => keyOf(item) >= marker);
  const from = start === -1 ? items.length : start;
  const page = items.slice(from, from + maxItems);
  const next = items[from + maxItems];
  return { items: page, marker: next === undefined ? undefined : keyOf(next) };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => BASE32[b & 31]).join('');
}
