import type { Collection } from 'mongodb';
import type { DigestLedger } from './digest-ledger.js';
import type { CheckpointDocument } from './metadata.documents.js';
import { BUCKET_METADATA_PROJECTION } from './read-model-mutations.js';

/**
 * Each projection's last applied offset per partition. The bucket-metadata projection's
 * checkpoints also carry its partition's digest ledger (ADR 0014).
 */
export class MongoCheckpoints {
  constructor(
    private readonly checkpoints: Collection<CheckpointDocument>,
    private readonly ledger: DigestLedger,
  ) {}

  async save(projection: string, topic: string, partition: number, offset: number): Promise<void> {
    const _id = `${projection}:${topic}:${partition}`;
    const current = await this.checkpoints.findOne({ _id });
    if (current && current.offset >= offset) return;
    const ledger = projection === BUCKET_METADATA_PROJECTION ? this.ledger.save(partition) : undefined;
    await this.checkpoints.replaceOne({ _id }, { projection, topic, partition, offset, ...(ledger ? { ledger } : {}) }, { upsert: true });
  }

  async load(projection: string, topic: string): Promise<Map<number, number>> {
    const docs = await this.checkpoints.find({ projection, topic }).toArray();
    if (projection === BUCKET_METADATA_PROJECTION) {
      for (const d of docs) {
        // A model whose checkpoint has no ledger (built before ledgers): not exact.
        if (d.ledger) this.ledger.load(d.partition, d.ledger);
        else this.ledger.unaccounted(d.partition);
      }
    }
    return new Map(docs.map((d) => [d.partition, d.offset]));
  }

  /**
   * Stores with each checkpoint of the bucket-metadata projection the ledger computed from the
   * documents: when the one kept as it wrote is not exact (ADR 0014).
   */
  async seedLedger(topic: string, ledger: DigestLedger): Promise<void> {
    const docs = await this.checkpoints.find({ projection: BUCKET_METADATA_PROJECTION, topic }).toArray();
    for (const d of docs) await this.checkpoints.updateOne({ _id: d._id }, { $set: { ledger: ledger.save(d.partition) } });
  }

  /** Whether any projection has checkpointed here: a used database. */
  async any(): Promise<boolean> {
    return (await this.checkpoints.findOne({})) !== null;
  }
}
