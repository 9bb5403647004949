import { randomUUID } from 'node:crypto';
import type { EventPrincipal } from '../../event-log/event-envelope.js';
import { identityEnvelope, type IdentityEnvelope } from '../../event-log/identity-envelope.js';
import type { ProjectionProgress } from '../../projections/projection-progress.js';
import { KeyedMutex } from '../../write-model/keyed-mutex.js';
import { WriteDiscipline } from '../../write-model/write-discipline.js';
import { WriteGate } from '../../write-model/write-gate.js';
import type { IdentityEvent } from '../../identity-stream/identity.events.js';
import type { IdentityState } from '../../identity-stream/identity.directory.js';
import type { IdentityEventLog } from './identity-event.log.js';

const STREAM = 'identity';
/** The identity topic has one partition: one total order for uniqueness. */
const PARTITION = 0;

/**
 * The single writer of the identity topic (ADR 0001 applied to identities; ADR 0005). One
 * command at a time is decided against a directory that has applied every earlier identity
 * event, appended, and answered once applied (WriteDiscipline, shared with the bucket writer),
 * so uniqueness (user names, key quotas) holds and a new key or policy is in force when the
 * response arrives.
 */
export class IdentityStreamWriter {
  private readonly lock = new KeyedMutex();
  private readonly discipline: WriteDiscipline;

  constructor(
    private readonly log: IdentityEventLog,
    private readonly state: IdentityState,
    progress: ProjectionProgress,
    applyTimeoutMs: number,
    catchUpTimeoutMs: number,
    assertWriter: () => void = () => undefined,
    gate: WriteGate = new WriteGate(),
  ) {
    const endOffsets = async () => new Map([[PARTITION, await log.endOffset()]]);
    this.discipline = new WriteDiscipline(endOffsets, progress, applyTimeoutMs, catchUpTimeoutMs, assertWriter, gate);
  }

  /** Waits for every identity event at boot, or until the partition stopped on a poison record (ADR 0011). */
  catchUp(): Promise<void> {
    return this.discipline.catchUp();
  }

  /** Decides against the current identities; throws the decider's IAM / S3 error on refusal. */
  execute(principal: EventPrincipal, now: Date, decide: (state: IdentityState) => IdentityEvent[]): Promise<IdentityEnvelope[]> {
    return this.discipline.enter(() =>
      this.lock.run(STREAM, async () => {
        await this.discipline.beforeDeciding(PARTITION);
        const events = decide(this.state);
        if (events.length === 0) return [];
        const envelopes = events.map((event) => identityEnvelope(event, randomUUID(), now, principal));
        await this.discipline.appendAndApply(PARTITION, () => this.log.append(envelopes));
        return envelopes;
      }),
    );
  }
}
