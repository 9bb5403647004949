import type { Collection, Db } from 'mongodb';
import type { RelayBucket } from './notification-relay.state.js';

/** The relay's state in one partition: where it stands and the buckets folded up to there. */
export interface RelaySnapshot {
  /** The next offset to handle; every notification of the events before it has been delivered. */
  next: number;
  buckets: RelayBucket[];
}

/** Where the relay keeps its snapshots between runs. */
export abstract class RelayStateStore {
  abstract load(topic: string): Promise<Map<number, RelaySnapshot>>;
  abstract save(topic: string, partition: number, snapshot: RelaySnapshot): Promise<void>;
}

/**
 * `notification_relay`: one document per partition of the bucket topic. Position and folded
 * state are written together in one single-document replace, the only atomic write FerretDB
 * offers, so a snapshot is always a state that belongs to its position. Buckets are an array:
 * bucket names may hold '.', which a field name may not.
 */
interface RelaySnapshotDocument extends RelaySnapshot {
  _id: string;
  topic: string;
  partition: number;
}

export const NOTIFICATION_RELAY_COLLECTION = 'notification_relay';

export class MongoRelayStateStore extends RelayStateStore {
  private readonly snapshots: Collection<RelaySnapshotDocument>;

  constructor(db: Db) {
    super();
    this.snapshots = db.collection<RelaySnapshotDocument>(NOTIFICATION_RELAY_COLLECTION);
  }

  async load(topic: string): Promise<Map<number, RelaySnapshot>> {
    const docs = await this.snapshots.find({ topic }).toArray();
    return new Map(docs.map((d) => [d.partition, { next: d.next, buckets: d.buckets }]));
  }

  async save(topic: string, partition: number, snapshot: RelaySnapshot): Promise<void> {
    const _id = `${topic}:${partition}`;
    await this.snapshots.replaceOne({ _id }, { topic, partition, next: snapshot.next, buckets: snapshot.buckets }, { upsert: true });
  }
}
