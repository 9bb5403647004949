import { randomUUID } from 'node:crypto';
import type { BucketStreamState } from '../bucket-stream/bucket-stream.state.js';
import { envelope, type EventEnvelope, type EventPrincipal, type LogPosition } from '../event-log/event-envelope.js';
import type { EventLog } from '../event-log/event-log.port.js';
import type { SedimentEvent } from '../bucket-stream/sediment-event.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';
import type { ProjectionProgress } from '../projections/projection-progress.js';
import { isS3Error, type S3Error } from '../errors/s3.error.js';
import { loadBucketStream } from './bucket-stream.loader.js';
import { StreamLocks } from './stream-locks.js';
import { WriteDiscipline } from './write-discipline.js';
import { WriteGate } from './write-gate.js';

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
 * once its events are applied (read-after-write; WriteDiscipline).
 */
export class BucketStreamWriter {
  private readonly locks = new StreamLocks();
  private readonly discipline: WriteDiscipline;

  constructor(
    private readonly log: EventLog,
    private readonly store: MetadataStore,
    progress: ProjectionProgress,
    applyTimeoutMs: number,
    catchUpTimeoutMs: number,
    /** Throws when this process may not write the log (ADR 0001: one writer per topic). */
    assertWriter: () => void = () => undefined,
    /** Holds writes while the read model is switched (blue/green replay). */
    gate: WriteGate = new WriteGate(),
  ) {
    this.discipline = new WriteDiscipline(() => log.endOffsets(), progress, applyTimeoutMs, catchUpTimeoutMs, assertWriter, gate);
  }

  /** Waits until the read model has applied the log as this writer found it (WriteDiscipline.catchUp). */
  catchUp(): Promise<void> {
    return this.discipline.catchUp();
  }

  execute(request: WriteRequest): Promise<WriteOutcome> {
    return this.discipline.enter(() => this.decideAndAppend(request));
  }

  private decideAndAppend(request: WriteRequest): Promise<WriteOutcome> {
    return this.locks.run(request.bucket, objectKeysOf(request), async () => {
      const partition = this.log.partitionOf(request.bucket);
      await this.discipline.beforeDeciding(partition);
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
      const envelopes = events.map((event) => envelope(event, request.bucket, randomUUID(), request.now, request.principal));
      const positions = await this.discipline.appendAndApply(partition, () => this.log.append(request.bucket, envelopes));
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
