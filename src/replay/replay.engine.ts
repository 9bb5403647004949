import type { Db } from 'mongodb';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { decodeRecord, PoisonEventError, type LogPosition } from '../event-log/event-envelope.js';
import { decodeIdentityRecord } from '../event-log/identity-envelope.js';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import { MongoIdentityStore } from '../metadata/mongo-identity.store.js';
import { MongoMetadataStore } from '../metadata/mongo-metadata.store.js';
import { BucketMetadataProjector } from '../projections/bucket-metadata/bucket-metadata.projector.js';
import { IdentityProjector } from '../projections/identity/identity.projector.js';
import { ProjectionProgress, quarantineCommand } from '../projections/projection-progress.js';
import { isTransient } from '../messaging/apply-failures.js';
import { readDecisions } from '../quarantine/control-log.js';
import { decisionMatches, type QuarantineDecision, type QuarantineList } from '../quarantine/quarantine-list.js';
import { QuarantinedEvents, rawRecord, type RawRecord } from '../quarantine/quarantined-events.store.js';
import { readLogRange, type BatchVerdict } from '../messaging/bounded-log.reader.js';
import type { DigestLedger } from '../metadata/digest-ledger.js';
import { ledgerOfReadModel } from './read-model.digest.js';

export interface ReplayTopics {
  bucketTopic: string;
  identityTopic: string;
  /** Read first: the quarantine decisions about the other two (ADR 0011). */
  controlTopic: string;
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
  /** The rebuilt model's ledger (ADR 0014), as its checkpoints now hold it. */
  ledger: DigestLedger;
  /** Seconds spent computing the ledger from the documents, when the one kept was not exact. */
  ledgerSeconds: number;
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
  // Every decision before any record it may be about: the replay skips what the live service skipped.
  const quarantine = await readDecisions(kafka, admin, topics.controlTopic);
  const kept = new QuarantinedEvents(target);
  const metadata = new MongoMetadataStore(target);
  await metadata.assertFormat();
  // The janitor's indexes once the documents are in (below): built in one go, not insert by insert.
  await metadata.ensureQueryIndexes();
  const bucketProgress = new ProjectionProgress();
  const bucketProjector = new BucketMetadataProjector(metadata, bucketProgress, topics.bucketTopic, 1000, kept);
  const identityProgress = new ProjectionProgress();
  const identityProjector = new IdentityProjector(
    new MongoIdentityStore(target),
    metadata,
    new IdentityDirectory(),
    identityProgress,
    topics.identityTopic,
    kept,
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
  /**
   * Decodes a batch, keeps the records up to `until`, applies them (a quarantined one is skipped
   * in its place, in order), saves the checkpoint.
   */
  const applyBatch = async <R extends { envelope: { time: string }; position: LogPosition }>(
    topic: string,
    decode: (value: Buffer | null, position: LogPosition) => R,
    project: (records: R[]) => Promise<void>,
    skip: (record: RawRecord, decision: QuarantineDecision) => Promise<void>,
    checkpoint: (partition: number) => Promise<void>,
    partition: number,
    messages: KafkaMessage[],
  ): Promise<BatchVerdict> => {
    let records: R[] = [];
    let applied = 0;
    const flush = async () => {
      await projectOrExplain(topic, project, records, partition);
      records = [];
    };
    for (const message of messages) {
      const position = { partition, offset: Number(message.offset) };
      const decision = quarantinedAt(quarantine, topic, position, message.value);
      if (decision) {
        await flush();
        await skip(rawRecord(topic, partition, message), decision);
      } else {
        const recorded = decodeOrExplain(topic, decode, message.value, position);
        if (pastUntil(recorded.envelope.time)) break;
        records.push(recorded);
      }
      applied++;
    }
    await flush();
    await checkpoint(partition);
    done += applied;
    report();
    return { applied, stop: applied < messages.length };
  };

  await readLogRange(kafka, topics.bucketTopic, { from: bucketFrom, to: bucketEnds }, (partition, messages) =>
    applyBatch(
      topics.bucketTopic,
      decodeRecord,
      (records) => bucketProjector.applyBatch(records),
      (record, decision) => bucketProjector.skip(record, decision),
      (p) => bucketProjector.checkpoint(p),
      partition,
      messages,
    ),
  );
  await bucketProjector.flush();
  await readLogRange(kafka, topics.identityTopic, { from: identityFrom, to: identityEnds }, (partition, messages) =>
    applyBatch(
      topics.identityTopic,
      decodeIdentityRecord,
      async (records) => {
        for (const recorded of records) await identityProjector.apply(recorded);
      },
      (record, decision) => identityProjector.skip(record, decision),
      (p) => identityProjector.checkpoint(p),
      partition,
      messages,
    ),
  );
  await identityProjector.flush();
  await metadata.ensureJanitorIndexes();
  const seconds = (Date.now() - started) / 1000;
  let ledger = metadata.ledger;
  const ledgerStarted = Date.now();
  // A resumed rebuild may find documents its interrupted run wrote past its checkpoints, which the
  // ledger cannot account for: then it is computed from the documents.
  if (!ledger.clean) {
    ledger = await ledgerOfReadModel(target);
    await metadata.seedLedger(topics.bucketTopic, ledger);
  }
  return { events: done, seconds, ledger, ledgerSeconds: (Date.now() - ledgerStarted) / 1000, ends: { bucket: bucketEnds, identity: identityEnds } };
}

/** The decision that quarantines this very record (same value), if any. */
function quarantinedAt(list: QuarantineList, topic: string, position: LogPosition, value: Buffer | null): QuarantineDecision | undefined {
  const decision = list.find(topic, position.partition, position.offset);
  return decision && decisionMatches(decision, value) ? decision : undefined;
}

/** Records the database refuses stop the replay, with where they are and what the operator can do. */
async function projectOrExplain<R extends { position: LogPosition }>(
  topic: string,
  project: (records: R[]) => Promise<void>,
  records: R[],
  partition: number,
): Promise<void> {
  if (records.length === 0) return;
  try {
    await project(records);
  } catch (error) {
    if (isTransient(error)) throw error;
    const [first, last] = [records[0]!.position.offset, records[records.length - 1]!.position.offset];
    throw new Error(
      `the replay could not apply ${topic} partition ${partition} offsets ${first} to ${last}: ${(error as Error).message}. ` +
        'If a record there cannot be applied (the live service names it on /health), quarantine it: ' +
        quarantineCommand({ topic, partition, offset: first }).replace(`--offset ${first}`, '--offset <offset>'),
    );
  }
}

/** A poison record nobody quarantined stops the replay, with what the operator can do about it. */
function decodeOrExplain<R>(topic: string, decode: (value: Buffer | null, position: LogPosition) => R, value: Buffer | null, position: LogPosition): R {
  try {
    return decode(value, position);
  } catch (error) {
    if (!(error instanceof PoisonEventError)) throw error;
    throw new Error(
      `the replay stopped on a poison event of ${topic}: ${error.message}. Inspect it: sediment inspect-event --topic ${topic} ` +
        `--partition ${position.partition} --offset ${position.offset}; skip it in every replay and in the live service: ${quarantineCommand({ topic, ...position })}`,
    );
  }
}

export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

function remaining(from: Map<number, number>, to: Map<number, number>): number {
  return [...to].reduce((n, [p, end]) => n + Math.max(0, end - (from.get(p) ?? 0)), 0);
}
