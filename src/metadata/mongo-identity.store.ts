import type { Collection, Db } from 'mongodb';
import { IDENTITY_COLLECTION, type IdentityDocument, type IdentityMutation } from '../identity-stream/identity.documents.js';
import { IdentityStore } from './identity.store.port.js';

/** MongoDB adapter of the identity read model: guarded single-document writes, as for metadata. */
export class MongoIdentityStore extends IdentityStore {
  private readonly identities: Collection<IdentityDocument>;

  constructor(db: Db) {
    super();
    this.identities = db.collection<IdentityDocument>(IDENTITY_COLLECTION);
  }

  loadAll(): Promise<IdentityDocument[]> {
    return this.identities.find({}).toArray() as Promise<IdentityDocument[]>;
  }

  async apply(mutation: IdentityMutation): Promise<void> {
    const id = mutation.op === 'delete' ? mutation.id : mutation.doc._id;
    const offset = mutation.op === 'delete' ? mutation.offset : mutation.doc.offset;
    const current = await this.identities.findOne({ _id: id }, { projection: { offset: 1 } });
    if (current && current.offset >= offset) return;
    if (mutation.op === 'delete') {
      if (current) await this.identities.deleteOne({ _id: id });
      return;
    }
    const { _id, ...fields } = mutation.doc;
    if (current) await this.identities.replaceOne({ _id }, fields);
    else await this.identities.insertOne(mutation.doc);
  }
}
