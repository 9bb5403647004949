import { Inject, Injectable } from '@nestjs/common';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { rootPrincipal, type Principal } from '../event-log/principal.js';

export interface Identity {
  secretAccessKey: string;
  principal: Principal;
}

/** Access keys the service knows. First cut: only the root key from configuration. */
@Injectable()
export class CredentialsRegistry {
  private readonly identities = new Map<string, Identity>();

  constructor(@Inject(SEDIMENT_CONFIG) config: SedimentConfig) {
    this.identities.set(config.SEDIMENT_ROOT_ACCESS_KEY_ID, {
      secretAccessKey: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY,
      principal: rootPrincipal(config.SEDIMENT_ROOT_ACCESS_KEY_ID),
    });
  }

  find(accessKeyId: string): Identity | undefined {
    return this.identities.get(accessKeyId);
  }
}
