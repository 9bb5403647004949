import { loadConfig } from '../config/sediment.config.js';
import type { CliCommand } from './cli-command.js';
import { callIamQuery, serviceUrl, type IamAnswer } from './iam-query.client.js';

const USAGE = `usage: sediment account create <name>
       sediment account list
       sediment account delete <account-id>

Manages the service's accounts (S3's unit of ownership: each has its own root credentials, IAM
users and buckets). Asks the running service (SEDIMENT_URL, or SEDIMENT_HOST:SEDIMENT_PORT),
signed with the root credentials of the configuration: only the default account's root may.
create prints the new account's id, canonical id and root credentials; the secret is shown only
there. delete refuses an account that still owns buckets or IAM users.`;

const EX_USAGE = 64;
const EX_SOFTWARE = 70;
const EX_UNAVAILABLE = 69;

/** Account names as the service accepts them (1–64 of the characters IAM allows in user names). */
const NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

type AccountXml = { AccountId: string; AccountName: string; CanonicalUserId: string; CreateDate?: string; AccessKeyId?: string; SecretAccessKey?: string };

export const accountCommand: CliCommand = {
  summary: 'create, list or delete accounts (asks the running service)',
  async run(args) {
    const [verb, ...rest] = args;
    if (verb === undefined || verb === '--help' || verb === '-h') {
      console.log(USAGE);
      return verb === undefined ? EX_USAGE : 0;
    }
    const request = accountRequest(verb, rest);
    if ('error' in request) {
      console.error(`${request.error}\n\n${USAGE}`);
      return EX_USAGE;
    }
    const config = loadConfig(process.env);
    const url = serviceUrl(config);
    let answer: IamAnswer;
    try {
      answer = await callIamQuery(config, url, request.params);
    } catch (error) {
      console.error(`cannot reach the service at ${url}: ${(error as Error).message}`);
      return EX_UNAVAILABLE;
    }
    if (!answer.ok) {
      console.error(`${answer.code}: ${answer.message} (HTTP ${answer.status})`);
      return answer.status === 403 ? 77 : EX_SOFTWARE;
    }
    printAnswer(verb, answer.body);
    return 0;
  },
};

/** The IAM Query parameters of a verb and its arguments, checked before anything is sent. */
export function accountRequest(verb: string, rest: string[]): { params: Record<string, string> } | { error: string } {
  switch (verb) {
    case 'create':
      if (rest.length !== 1 || !NAME.test(rest[0]!)) return { error: 'create takes one name: 1-64 letters, digits or +=,.@_-' };
      return { params: { Action: 'CreateAccount', AccountName: rest[0]! } };
    case 'list':
      if (rest.length !== 0) return { error: 'list takes no arguments' };
      return { params: { Action: 'ListAccounts' } };
    case 'delete':
      if (rest.length !== 1 || !ACCOUNT_ID.test(rest[0]!)) return { error: 'delete takes one account id: 12 digits' };
      return { params: { Action: 'DeleteAccount', AccountId: rest[0]! } };
    default:
      return { error: `unknown account command ${JSON.stringify(verb)}` };
  }
}

function printAnswer(verb: string, body: Record<string, unknown>): void {
  if (verb === 'create') {
    const account = ((body['CreateAccountResponse'] as Record<string, unknown>)['CreateAccountResult'] as { Account: AccountXml }).Account;
    console.log(
      [
        `account id       ${account.AccountId}`,
        `name             ${account.AccountName}`,
        `canonical id     ${account.CanonicalUserId}`,
        `access key id    ${account.AccessKeyId ?? ''}`,
        `secret key       ${account.SecretAccessKey ?? ''}`,
        '',
        'The secret key is shown only now: keep it.',
      ].join('\n'),
    );
  } else if (verb === 'list') {
    const result = (body['ListAccountsResponse'] as Record<string, unknown>)['ListAccountsResult'] as { Accounts?: { member?: AccountXml | AccountXml[] } | '' };
    const members = typeof result.Accounts === 'object' ? result.Accounts.member : undefined;
    const accounts = members === undefined ? [] : Array.isArray(members) ? members : [members];
    console.log(['ACCOUNT ID    NAME                 CANONICAL ID', ...accounts.map((a) => `${a.AccountId}  ${a.AccountName.padEnd(20)} ${a.CanonicalUserId}`)].join('\n'));
  } else {
    console.log('deleted');
  }
}
