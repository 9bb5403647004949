import { Inject, Injectable } from '@nestjs/common';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { rootPrincipal, userPrincipal, type Principal } from '../event-log/principal.js';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import { SecretBox } from '../identity-stream/secret-box.js';
import { accountOfDocument } from '../identity-stream/identity.documents.js';

export interface Identity {
  secretAccessKey: string;
  principal: Principal;
}

/**
 * Access keys the service accepts: the root key from configuration (the bootstrap identity, root
 * of the default account), the root key of every other account and every Active key of an
 * existing IAM user. A user's secret is opened from its sealed form
 * only for the request being verified, never kept in memory.
 */
@Injectable()
export class CredentialsRegistry {
  private readonly root: Identity;

  constructor(
    @Inject(SEDIMENT_CONFIG) config: SedimentConfig,
    private readonly directory: IdentityDirectory,
    private readonly box: SecretBox,
  ) {
    this.root = {
      secretAccessKey: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY,
      principal: rootPrincipal(config.SEDIMENT_ROOT_ACCESS_KEY_ID),
    };
  }

  find(accessKeyId: string): Identity | undefined {
    if (accessKeyId === this.root.principal.accessKeyId) return this.root;
    const account = this.directory.accountByRootKey(accessKeyId);
    if (account) {
      return {
        secretAccessKey: this.box.open(account.rootSecret, accessKeyId),
        principal: rootPrincipal(accessKeyId, { accountId: account.accountId, name: account.name }),
      };
    }
    const key = this.directory.accessKey(accessKeyId);
    if (!key || key.status !== 'Active') return undefined;
    const accountId = accountOfDocument(key);
    const user = this.directory.user(accountId, key.userName);
    if (!user) return undefined;
    const userAccount = this.directory.accountRef(accountId);
    if (!userAccount) return undefined;
    return { secretAccessKey: this.box.open(key.secret, accessKeyId), principal: userPrincipal(accessKeyId, user, userAccount) };
  }
}
