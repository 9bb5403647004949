import { randomBytes } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { inMemoryIdentityStream } from '../../../test/support/in-memory-identity-stream.js';
import type { SedimentConfig } from '../../config/sediment.config.js';
import { IamError } from '../../errors/iam.error.js';
import { accountCanonicalId, rootPrincipal, type Principal } from '../../event-log/principal.js';
import { Authorizer } from '../../iam/authorization/authorizer.js';
import type { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { ChangeIdentityHandler } from '../../iam/commands/change-identity/change-identity.handler.js';
import { SecretBox } from '../../identity-stream/secret-box.js';
import type { MetadataStore } from '../../metadata/metadata.store.port.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { IamQueryApi } from './iam.api.js';

const box = new SecretBox(randomBytes(32).toString('base64'));
const defaultRoot = rootPrincipal('SEDIMENTTESTROOT0001');

/** The IAM Query API over the real identity writer and directory; `owned` says which canonical ids own buckets. */
async function api(owned: ReadonlySet<string> = new Set()) {
  const { writer, directory, eventTypes } = await inMemoryIdentityStream();
  const handler = new ChangeIdentityHandler(writer);
  const commands = { execute: (command: ChangeIdentityCommand) => handler.execute(command) } as unknown as CommandBus;
  const metadata = { listBuckets: async (owner: string) => (owned.has(owner) ? [{ _id: 'b' }] : []) } as unknown as MetadataStore;
  const iam = new IamQueryApi(commands, directory, new Authorizer(directory, async () => undefined), box, { SEDIMENT_READ_ONLY: false } as SedimentConfig, metadata);
  const call = async (caller: Principal, params: Record<string, string>): Promise<string> => {
    let body = '';
    const req = {
      method: 'POST',
      headers: {},
      secure: false,
      socket: { remoteAddress: '127.0.0.1' },
      sediment: { principal: caller, requestId: 'r', iamBody: new URLSearchParams({ Version: '2010-05-08', ...params }).toString() },
    } as unknown as S3HttpRequest;
    const res = { status: () => res, setHeader: () => res, end: (xml: string) => (body = xml) } as unknown as Response;
    await iam.handle(req, res);
    return body;
  };
  return { call, directory, eventTypes };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function refusal(promise: Promise<unknown>): Promise<IamError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(IamError);
  return error as IamError;
}

describe('IamQueryApi: accounts', () => {
  it('CreateAccount records the account with its root secret sealed, and answers the secret once', async () => {
    const { call, directory, eventTypes } = await api();
    const xml = await call(defaultRoot, { Action: 'CreateAccount', AccountName: 'team-b' });
    const accountId = tag(xml, 'AccountId')!;
    expect(accountId).toMatch(/^\d{12}$/);
    expect(tag(xml, 'CanonicalUserId')).toBe(accountCanonicalId(accountId));
    const account = directory.account(accountId)!;
    expect(account.rootAccessKeyId).toBe(tag(xml, 'AccessKeyId'));
    expect(box.open(account.rootSecret, account.rootAccessKeyId)).toBe(tag(xml, 'SecretAccessKey'));
    expect(JSON.stringify(account)).not.toContain(tag(xml, 'SecretAccessKey'));
    expect(eventTypes()).toEqual(['AccountCreated']);
    const listed = await call(defaultRoot, { Action: 'ListAccounts' });
    expect(listed).toContain('<AccountId>000000000000</AccountId><AccountName>root</AccountName>');
    expect(listed).toContain(`<AccountId>${accountId}</AccountId><AccountName>team-b</AccountName>`);
  });

  it("refuses the account actions to anyone but the default account's root, whatever its policies", async () => {
    const { call } = await api();
    const accountId = tag(await call(defaultRoot, { Action: 'CreateAccount', AccountName: 'team-b' }), 'AccountId')!;
    const otherRoot = rootPrincipal('AKIAROOTOFTEAMB00001', { accountId, name: 'team-b' });
    const asked: Array<Record<string, string>> = [{ Action: 'ListAccounts' }, { Action: 'CreateAccount', AccountName: 'x' }, { Action: 'DeleteAccount', AccountId: accountId }];
    for (const params of asked) {
      expect((await refusal(call(otherRoot, params))).code).toBe('AccessDenied');
    }
  });

  it('DeleteAccount refuses an account that owns buckets, then deletes one that owns none', async () => {
    const owners = new Set<string>();
    const { call, directory, eventTypes } = await api(owners);
    const accountId = tag(await call(defaultRoot, { Action: 'CreateAccount', AccountName: 'team-b' }), 'AccountId')!;
    owners.add(accountCanonicalId(accountId));
    expect((await refusal(call(defaultRoot, { Action: 'DeleteAccount', AccountId: accountId }))).code).toBe('DeleteConflict');
    owners.clear();
    await call(defaultRoot, { Action: 'DeleteAccount', AccountId: accountId });
    expect(directory.account(accountId)).toBeUndefined();
    expect(eventTypes()).toEqual(['AccountCreated', 'AccountDeleted']);
  });

  it("creates an account root's users in its own account", async () => {
    const { call, directory } = await api();
    const accountId = tag(await call(defaultRoot, { Action: 'CreateAccount', AccountName: 'team-b' }), 'AccountId')!;
    const otherRoot = rootPrincipal('AKIAROOTOFTEAMB00001', { accountId, name: 'team-b' });
    expect(tag(await call(otherRoot, { Action: 'CreateUser', UserName: 'alice' }), 'Arn')).toBe(`arn:aws:iam::${accountId}:user/alice`);
    expect(tag(await call(defaultRoot, { Action: 'CreateUser', UserName: 'alice' }), 'Arn')).toBe('arn:aws:iam::000000000000:user/alice');
    expect(directory.users(accountId).map((u) => u.arn)).toEqual([`arn:aws:iam::${accountId}:user/alice`]);
    expect(await call(defaultRoot, { Action: 'ListUsers' })).not.toContain(accountId);
  });

  it('GetUser without UserName under root credentials describes the root, as IAM does: no UserName or Path', async () => {
    const { call, directory } = await api();
    const own = await call(defaultRoot, { Action: 'GetUser' });
    expect([tag(own, 'UserId'), tag(own, 'Arn'), tag(own, 'UserName'), tag(own, 'Path')]).toEqual(['000000000000', 'arn:aws:iam::000000000000:root', undefined, undefined]);
    const accountId = tag(await call(defaultRoot, { Action: 'CreateAccount', AccountName: 'team-b' }), 'AccountId')!;
    const other = await call(rootPrincipal('AKIAROOTOFTEAMB00001', { accountId, name: 'team-b' }), { Action: 'GetUser' });
    expect([tag(other, 'UserId'), tag(other, 'Arn'), tag(other, 'UserName')]).toEqual([accountId, `arn:aws:iam::${accountId}:root`, undefined]);
    expect(tag(other, 'CreateDate')).toBe(new Date(directory.account(accountId)!.createDate).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    // Naming a user still describes that user.
    await call(defaultRoot, { Action: 'CreateUser', UserName: 'alice' });
    expect(tag(await call(defaultRoot, { Action: 'GetUser', UserName: 'alice' }), 'Arn')).toBe('arn:aws:iam::000000000000:user/alice');
  });
});
