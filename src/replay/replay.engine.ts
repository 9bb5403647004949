import type { Db } from 'mongodb';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { decodeRecord, type LogPosition } from '../event-log/event-envelope.js';
import { decodeIdentityRecord } from '../event-log/identity-envelope.js';
import { IdentityDirectory } from '../iam/identities/identity.directory.js';
import { MongoIdentityStore } from '../metadata/mongo-identity.store.js';
import { MongoMetadataStore } from '../metadata/mongo-metadata.store.js';
import { BucketMetadataProjector } from '../projections/bucket-metadata/bucket-metadata.projector.js';
import { IdentityProjector } from '../projections/identity/identity.projector.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { readLogRange, type BatchVerdict } from './bounded-log.reader.js';

export interface ReplayTopics {
  bucketTopic: string;
  identityTopic: string;
}

/** Where a point-in-time rebuild stops: after the last event at or before `time`. */
export interface ReplayUntil {
  time: Date;
  /** With `--until partition:offset`: that partition of the bucket topic stops after this offset. */
  position?: LogPosition;
}

export interface ReplayProgressReport {
  done: number;
  total: number;
}

export interface ReplayResult {
  events: number;
  seconds: number;
  /** The offset each partition was rebuilt up to (exclusive), per topic. */
  ends: { bucket: Map<number, number>; identity: Map<number, number> };
}

/**
 * Rebuilds the bucket-metadata and identity read models into `target` from the log, through the
 * same projectors the service runs. Resumable: it starts from the target's own checkpoints (none
 * for a new database), and saves them as it goes. Stops at the end offsets found when it starts,
 * or at `until`.
 */
export async function replayReadModel(options: {
  kafka: Kafka;
  admin: Admin;
  topics: ReplayTopics;
  target: Db;
  until?: ReplayUntil;
  onProgress?: (report: ReplayProgressReport) => void;
}): Promise<ReplayResult> {
  const { kafka, admin, topics, target, until } = options;
  const started = Date.now();
  const metadata = new MongoMetadataStore(target);
  await metadata.ensureIndexes();
  const bucketProgress = new ProjectionProgress();
  const bucketProjector = new BucketMetadataProjector(metadata, bucketProgress, topics.bucketTopic, 1000);
  const identityProgress = new ProjectionProgress();
  const identityProjector = new IdentityProjector(
    new MongoIdentityStore(target),
    metadata,
    new IdentityDirectory(),
    identityProgress,
    topics.identityTopic,
  );
  await bucketProjector.start();
  await identityProjector.start();

  const bucketEnds = await endOffsets(admin, topics.bucketTopic);
  const identityEnds = await endOffsets(admin, topics.identityTopic);
  if (until?.position) {
    const { partition, offset } = until.position;
    bucketEnds.set(partition, Math.min(bucketEnds.get(partition) ?? 0, offset + 1));
  }
  const from = (progress: ProjectionProgress, ends: Map<number, number>) =>
    new Map([...ends.keys()].map((p) => [p, progress.appliedOffset(p) + 1]));
  const bucketFrom = from(bucketProgress, bucketEnds);
  const identityFrom = from(identityProgress, identityEnds);
  const total = remaining(bucketFrom, bucketEnds) + remaining(identityFrom, identityEnds);
  let done = 0;
  const report = () => options.onProgress?.({ done, total });
  report();

  const pastUntil = (time: string) => until !== undefined && Date.parse(time) > until.time.getTime();
  /** Decodes a batch, keeps the records up to `until`, applies them, saves the checkpoint. */
  const applyBatch = async <R extends { envelope: { time: string } }>(
    decode: (value: Buffer | null, position: LogPosition) => R,
    project: (records: R[]) => Promise<void>,
    checkpoint: (partition: number) => Promise<void>,
    partition: number,
    messages: KafkaMessage[],
  ): Promise<BatchVerdict> => {
    const records: R[] = [];
    for (const message of messages) {
      const recorded = decode(message.value, { partition, offset: Number(message.offset) });
      if (pastUntil(recorded.envelope.time)) break;
      records.push(recorded);
    }
    await project(records);
    await checkpoint(partition);
    done += records.length;
    report();
    return { applied: records.length, stop: records.length < messages.length };
  };

  await readLogRange(kafka, topics.bucketTopic, { from: bucketFrom, to: bucketEnds }, (partition, messages) =>
    applyBatch(decodeRecord, (records) => bucketProjector.applyBatch(records), (p) => bucketProjector.checkpoint(p), partition, messages),
  );
  await bucketProjector.flush();
  await readLogRange(kafka, topics.identityTopic, { from: identityFrom, to: identityEnds }, (partition, messages) =>
    applyBatch(
      decodeIdentityRecord,
      async (records) => {
        for (const recorded of records) await identityProjector.apply(recorded);
      },
      (p) => identityProjector.checkpoint(p),
      partition,
      messages,
    ),
  );
  await identityProjector.flush();
  return { events: done, seconds: (Date.now() - started) / 1000, ends: { bucket: bucketEnds, identity: identityEnds } };
}

export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

function remaining(from: Map<number, number>, to: Map<number, number>): number {
  return [...to].reduce((n, [p, end]) => n + Math.max(0, end - (from.get(p) ?? 0)), 0);
}
