import { randomUUID } from 'node:crypto';
import type { EventPrincipal } from '../../event-log/event-envelope.js';
import { identityEnvelope, type IdentityEnvelope } from '../../event-log/identity-envelope.js';
import { partitionStopped, type ProjectionProgress } from '../../projections/projection-progress.js';
import { projectionStopped } from '../../write-model/bucket-stream.writer.js';
import { KeyedMutex } from '../../write-model/keyed-mutex.js';
import { WriteGate } from '../../write-model/write-gate.js';
import type { IdentityEvent } from '../domain/identity.events.js';
import type { IdentityState } from './identity.directory.js';
import type { IdentityEventLog } from './identity-event.log.js';

const STREAM = 'identity';

/**
 * The single writer of the identity topic (ADR 0001 applied to identities; ADR 0005). One
 * command at a time is decided against a directory that has applied every earlier identity
 * event, appended, and answered once applied, so uniqueness (user names, key quotas) holds and
 * a new key or policy is in force when the response arrives.
 */
export class IdentityStreamWriter {
  private readonly lock = new KeyedMutex();
  private uncertain = false;
  private ready: Promise<void> | null = null;

  constructor(
    private readonly log: IdentityEventLog,
    private readonly state: IdentityState,
    private readonly progress: ProjectionProgress,
    private readonly applyTimeoutMs: number,
    private readonly catchUpTimeoutMs: number,
    private readonly assertWriter: () => void = () => undefined,
    private readonly gate: WriteGate = new WriteGate(),
  ) {}

  /** Waits for every identity event at boot, or until the partition stopped on a poison record (ADR 0011). */
  catchUp(): Promise<void> {
    this.ready ??= (async () => {
      const end = await this.log.endOffset();
      if (end > 0) await this.progress.settle(0, end - 1, this.catchUpTimeoutMs);
      // If it gets going again, the events after the poison record come before any decision.
      if (this.progress.stoppedAt(0)) this.uncertain = true;
    })();
    return this.ready;
  }

  /** Decides against the current identities; throws the decider's IAM / S3 error on refusal. */
  execute(principal: EventPrincipal, now: Date, decide: (state: IdentityState) => IdentityEvent[]): Promise<IdentityEnvelope[]> {
    return this.gate.enter(() => this.decideAndAppend(principal, now, decide));
  }

  private decideAndAppend(principal: EventPrincipal, now: Date, decide: (state: IdentityState) => IdentityEvent[]): Promise<IdentityEnvelope[]> {
    return this.lock.run(STREAM, async () => {
      if (this.progress.stoppedBy) throw projectionStopped();
      await this.catchUp();
      // Stopped on a poison record: this change would never be applied, so it is not appended.
      const stopped = this.progress.stoppedAt(0);
      if (stopped) {
        this.uncertain = true;
        throw partitionStopped(stopped);
      }
      if (this.uncertain) {
        await this.waitForEnd(this.applyTimeoutMs);
        this.uncertain = false;
      }
      const events = decide(this.state);
      if (events.length === 0) return [];
      this.assertWriter();
      const envelopes = events.map((event) => identityEnvelope(event, randomUUID(), now, principal));
      try {
        const positions = await this.log.append(envelopes);
        const last = positions[positions.length - 1]!;
        await this.progress.waitFor(last.partition, last.offset, this.applyTimeoutMs);
      } catch (error) {
        // The append may have landed: the next command must see it before deciding.
        this.uncertain = true;
        throw error;
      }
      return envelopes;
    });
  }

  private async waitForEnd(timeoutMs: number): Promise<void> {
    const end = await this.log.endOffset();
    if (end > 0) await this.progress.waitFor(0, end - 1, timeoutMs);
  }
}
