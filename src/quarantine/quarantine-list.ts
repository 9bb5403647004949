import { createHash } from 'node:crypto';
import { recordSubject, type RecordedControlEvent } from './quarantine.events.js';

/** One decision as the projections use it. */
export interface QuarantineDecision {
  topic: string;
  partition: number;
  offset: number;
  valueSha256: string | null;
  reason: string;
  decisionId: string;
  decidedAt: string;
  /** Where the decision is on the control topic. */
  controlOffset: number;
}

/** SHA-256 (hex) of a record's value, as a decision names it; null for a record without value. */
export function valueSha256(value: Buffer | null): string | null {
  return value === null ? null : createHash('sha256').update(value).digest('hex');
}

/**
 * Every quarantine decision read from the control topic so far, by the position it names. The
 * first decision about a position counts; a later one about the same position is redundant.
 */
export class QuarantineList {
  private readonly byPosition = new Map<string, QuarantineDecision>();
  private readonly listeners = new Set<(decision: QuarantineDecision) => void>();

  add(recorded: RecordedControlEvent): QuarantineDecision {
    const { envelope, position } = recorded;
    const existing = this.byPosition.get(envelope.subject);
    if (existing) return existing;
    const decision: QuarantineDecision = {
      topic: envelope.data.topic,
      partition: envelope.data.partition,
      offset: envelope.data.offset,
      valueSha256: envelope.data.valueSha256,
      reason: envelope.data.reason,
      decisionId: envelope.id,
      decidedAt: envelope.time,
      controlOffset: position.offset,
    };
    this.byPosition.set(envelope.subject, decision);
    for (const listener of this.listeners) listener(decision);
    return decision;
  }

  /** The decision about this position, if any; whether it still names the same record is `decisionMatches`. */
  find(topic: string, partition: number, offset: number): QuarantineDecision | undefined {
    return this.byPosition.get(recordSubject(topic, partition, offset));
  }

  /** Called with every decision added from now on; returns the way to stop listening. */
  onDecision(listener: (decision: QuarantineDecision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Whether a decision applies to the record now at its position: a topic deleted and created
 * again reuses offsets, and skipping some other record would lose it.
 */
export function decisionMatches(decision: QuarantineDecision, value: Buffer | null): boolean {
  return decision.valueSha256 === valueSha256(value);
}
