import type { IdentityDocument, IdentityMutation } from '../identity-stream/identity.documents.js';

/** The identity read model in the database; written only by the identity projection. */
export abstract class IdentityStore {
  abstract loadAll(): Promise<IdentityDocument[]>;
  /** Applies a projected change unless the document already reflects a later event. */
  abstract apply(mutation: IdentityMutation): Promise<void>;
}
