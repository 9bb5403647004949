import { MongoError, MongoServerError } from 'mongodb';
import { PoisonEventError } from '../event-log/event-envelope.js';

/**
 * What to do about a record the projection failed to apply (ADR 0011):
 * - transient: the database or Kafka is unreachable; any record would fail the same way, so the
 *   consumer retries forever and never blames the record;
 * - retry: the record failed in a way that may be deterministic; try it again after `delayMs`;
 * - poison: the record cannot be applied; its partition stops. `retryInMs` is set when the
 *   verdict could still be wrong (an error the server returned): the record is tried again
 *   that much later, so a misjudged outage heals itself.
 */
export type FailureVerdict =
  | { kind: 'transient' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'poison'; reason: string; retryInMs?: number };

export interface RetryPolicy {
  /** Attempts of one record (the first included) before it is declared poison. */
  attempts: number;
  /** Delay before the second attempt; each later one doubles it. */
  firstDelayMs: number;
  /** How often a declared poison record is tried again. */
  poisonRetryMs: number;
}

/** 250 + 500 + 1000 + 2000 ms: a record is poison about 4 s after it first fails. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, firstDelayMs: 250, poisonRetryMs: 30_000 };

/**
 * Server answers that mean "not now" rather than "not this": the MongoDB driver's retryable
 * codes (host unreachable or not found, network timeout, shutdown in progress, primary stepped
 * down, not writable primary, interrupted at shutdown or on a replica state change, …).
 */
const TRANSIENT_SERVER_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 63, 150, 234]);
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool'];

/**
 * Whether an apply error says nothing about the record: the driver could not reach or use the
 * server (network errors, server selection timeouts, a closed or cleared pool), a retryable
 * server answer, or a Kafka client error.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof MongoServerError) {
    return TRANSIENT_LABELS.some((label) => error.hasErrorLabel(label)) || TRANSIENT_SERVER_CODES.has(Number(error.code));
  }
  if (error instanceof MongoError) return true;
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

/** Attempts per partition at its current record: the classification with its memory. */
export class ApplyFailures {
  private readonly attempts = new Map<number, { offset: number; count: number }>();

  constructor(private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY) {}

  record(partition: number, offset: number, error: unknown): FailureVerdict {
    if (error instanceof PoisonEventError) return { kind: 'poison', reason: poisonReason(error) };
    if (isTransient(error)) return { kind: 'transient' };
    const previous = this.attempts.get(partition);
    const count = previous?.offset === offset ? previous.count + 1 : 1;
    this.attempts.set(partition, { offset, count });
    if (count < this.policy.attempts) return { kind: 'retry', delayMs: this.policy.firstDelayMs * 2 ** (count - 1) };
    return { kind: 'poison', reason: applyReason(error, count), retryInMs: this.policy.poisonRetryMs };
  }

  /** The partition got past its record. */
  clear(partition: number): void {
    this.attempts.delete(partition);
  }
}

/** A PoisonEventError's message ends with the position; the reason is what precedes it. */
export function poisonReason(error: PoisonEventError): string {
  return error.message.replace(/ at partition \d+ offset \d+$/, '');
}

function applyReason(error: unknown, attempts: number): string {
  const described = error instanceof Error ? `${error.name}: ${withoutFrames(error.message)}` : String(error);
  return `applying it failed ${attempts} times: ${described}`;
}

/**
 * FerretDB prefixes its errors with the Go call frames that passed them on (`[msg_insert.go:168
 * handler.(*Handler).MsgInsert] [collection.go:163 …] ERROR: …`); the operator needs what follows.
 */
export function withoutFrames(message: string): string {
  if (!message.startsWith('[')) return message;
  const last = message.lastIndexOf('] ');
  return last < 0 ? message : message.slice(last + 2);
}
