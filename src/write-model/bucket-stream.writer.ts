import { randomUUID } from 'node:crypto';
import type { BucketStreamState } from '../buckets/domain/bucket-stream.state.js';
import { envelope, type EventEnvelope, type EventPrincipal, type LogPosition } from '../event-log/event-envelope.js';
import type { EventLog } from '../event-log/event-log.port.js';
import type { SedimentEvent } from '../event-log/sediment-event.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';
import { partitionStopped, type ProjectionProgress } from '../projections/projection-progress.js';
import { isS3Error, S3Error } from '../s3/errors/s3.error.js';
import { loadBucketStream } from './bucket-stream.loader.js';
import { StreamLocks } from './stream-locks.js';
import { WriteGate } from './write-gate.js';

export function projectionStopped(): S3Error {
  return new S3Error('ServiceUnavailable', {
    message: 'The read model projection stopped; writes are refused until an operator deals with it (see /health).',
  });
}

export type WriteOutcome =
  | { outcome: 'recorded'; envelopes: EventEnvelope[]; positions: LogPosition[] }
  /** The decider refused: nothing was appended, so side effects (a blob) may be undone. */
  | { outcome: 'rejected'; error: S3Error };

export interface WriteRequest {
  bucket: string;
  /** The object key whose current state the decision needs, if any. */
  key?: string;
  /** The object keys whose current state a multi-object decision needs (DeleteObjects), if any. */
  keys?: readonly string[];
  /** The multipart upload whose current state the decision needs, if any. */
  uploadId?: string;
  /** Whether the decision needs to know if the bucket holds objects (costs a query). */
  needsEmptiness?: boolean;
  /**
   * Whether the decision names versions by id, so needs every version of its keys in a bucket
   * with versioning (costs a query over them); otherwise the current object is enough.
   */
  allVersions?: boolean;
  principal: EventPrincipal;
  now: Date;
  decide: (state: BucketStreamState) => SedimentEvent[];
}

/**
 * The single writer of every bucket stream in this process (ADR 0001). A command is decided
 * against a read model that has applied every earlier event of what it decides about: its keys,
 * or for a bucket-wide command the whole bucket (StreamLocks, ADR 0016). Commands about other
 * keys are decided meanwhile, and their appends go to Kafka together. Each is answered only
 * once its events are applied (read-after-write).
 */
export class BucketStreamWriter {
  private readonly locks = new StreamLocks();
  /**
   * Partitions whose last append failed ambiguously: catch up to the log's end before deciding.
   * Each mark is numbered, so a writer that caught up clears only the mark it caught up to.
   */
  private readonly uncertain = new Map<number, number>();
  private marks = 0;
  private ready: Promise<void> | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly store: MetadataStore,
    private readonly progress: ProjectionProgress,
    private readonly applyTimeoutMs: number,
    private readonly catchUpTimeoutMs: number,
    /** Throws when this process may not write the log (ADR 0001: one writer per topic). */
    private readonly assertWriter: () => void = () => undefined,
    /** Holds writes while the read model is switched (blue/green replay). */
    private readonly gate: WriteGate = new WriteGate(),
  ) {}

  /**
   * Waits until the read model has applied everything the log held when this writer started, or
   * until a partition stopped on a poison record short of it (ADR 0011): the service then opens
   * with that partition refusing writes rather than not at all.
   */
  catchUp(): Promise<void> {
    this.ready ??= (async () => {
      const ends = await this.log.endOffsets();
      await Promise.all(
        [...ends]
          .filter(([, end]) => end > 0)
          .map(async ([p, end]) => {
            await this.progress.settle(p, end - 1, this.catchUpTimeoutMs);
            // If it gets going again, the events after the poison record come before any decision.
            if (this.progress.stoppedAt(p)) this.markUncertain(p);
          }),
      );
    })();
    return this.ready;
  }


  execute(request: WriteRequest): Promise<WriteOutcome> {
    return this.gate.enter(() => this.decideAndAppend(request));
  }

  private markUncertain(partition: number): void {
    this.uncertain.set(partition, ++this.marks);
  }

  private decideAndAppend(request: WriteRequest): Promise<WriteOutcome> {
    return this.locks.run(request.bucket, objectKeysOf(request), async () => {
      // A projection stopped on a poison event will not apply this write: refuse it before it
      // becomes a fact nobody can read back.
      if (this.progress.stoppedBy) throw projectionStopped();
      await this.catchUp();
      const partition = this.log.partitionOf(request.bucket);
      // Stopped on a poison record: this write would never be applied, so it is not appended.
      const stopped = this.progress.stoppedAt(partition);
      if (stopped) {
        this.markUncertain(partition);
        throw partitionStopped(stopped);
      }
      const mark = this.uncertain.get(partition);
      if (mark !== undefined) {
        const end = (await this.log.endOffsets()).get(partition) ?? 0;
        await this.progress.waitFor(partition, end - 1, this.applyTimeoutMs);
        if (this.uncertain.get(partition) === mark) this.uncertain.delete(partition);
      }
      const state = await loadBucketStream(
        this.store,
        request.bucket,
        request.key,
        request.needsEmptiness ?? false,
        request.keys,
        request.uploadId,
        request.allVersions ?? false,
      );
      let events: SedimentEvent[];
      try {
        events = request.decide(state);
      } catch (error) {
        if (isS3Error(error)) return { outcome: 'rejected', error };
        throw error;
      }
      if (events.length === 0) return { outcome: 'recorded', envelopes: [], positions: [] };
      this.assertWriter();
      const envelopes = events.map((event) => envelope(event, request.bucket, randomUUID(), request.now, request.principal));
      let positions: LogPosition[];
      try {
        positions = await this.log.append(request.bucket, envelopes);
      } catch (error) {
        this.markUncertain(partition);
        throw error;
      }
      const last = positions[positions.length - 1]!;
      try {
        await this.progress.waitFor(last.partition, last.offset, this.applyTimeoutMs);
      } catch (error) {
        // The fact is in the log; the next command of this partition must wait for it.
        this.markUncertain(partition);
        throw error;
      }
      return { outcome: 'recorded', envelopes, positions };
    });
  }
}

/**
 * The object keys a command decides about, or undefined when it decides about the bucket itself
 * (no key, or DeleteBucket's emptiness): then it has the bucket to itself.
 */
function objectKeysOf(request: WriteRequest): string[] | undefined {
  if (request.needsEmptiness) return undefined;
  const keys = [...(request.key === undefined ? [] : [request.key]), ...(request.keys ?? [])];
  return keys.length === 0 ? undefined : keys;
}
