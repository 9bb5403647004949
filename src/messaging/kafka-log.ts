import { logLevel, type LogEntry } from 'kafkajs';

export type NestLevel = 'error' | 'warn' | 'log' | 'debug';

export interface RoutedLine {
  level: NestLevel;
  line: string;
}

/**
 * What a broker answers while a group or transaction coordinator is still being elected or is
 * loading its state: right after the broker starts, or the first time a group is used. kafkajs
 * retries each of them; they say nothing about Sediment's health unless they persist.
 */
const COORDINATOR_WARMING_UP: readonly string[] = [
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests for this group",
  'This is not the correct coordinator for this group',
];

/** The requests whose failed responses kafkajs logs, then retries, while a coordinator warms up. */
const COORDINATOR_REQUEST = /^Response (GroupCoordinator|FindCoordinator|InitProducerId|JoinGroup|SyncGroup|OffsetFetch)\(/;

/**
 * kafkajs warns once per idempotent producer that bounded retries "may invalidate EoS
 * guarantees". They are bounded on purpose (a request must be answered, not wait forever on a
 * broker), and an append that fails ambiguously is handled: the writer marks the partition
 * uncertain and re-reads the log before deciding on it again (ADR 0001); the notification
 * relay re-sends from its last committed offset (ADR 0008). A configuration note, not a fault.
 */
const BOUNDED_RETRIES_NOTE = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * How many times one warming-up condition is logged at debug before it shows at its own level:
 * kafkajs gives up after `retry.retries` (8) attempts, and a coordinator that takes longer than
 * a handful of retries to load is worth an operator's eye.
 */
export const EXPECTED_AT_BOOT_BUDGET = 10;

export function isCoordinatorWarmingUp(error: { message?: string } | string | undefined): boolean {
  const message = typeof error === 'string' ? error : error?.message;
  return message !== undefined && COORDINATOR_WARMING_UP.includes(message);
}

/**
 * Turns kafkajs log entries into lines for Nest's logger. The conditions a healthy boot meets
 * (coordinators still loading, retried by kafkajs; the bounded-retries note) go to debug, so
 * that an ERROR or WARN always means something; one that keeps coming back shows again at its
 * own level once its budget is spent. Everything else keeps its level.
 */
export class KafkaLogRouter {
  private readonly demoted = new Map<string, number>();
  /** Consumer groups whose last crash was a coordinator warming up: their restart line follows. */
  private readonly warmingGroups = new Set<string>();

  route({ namespace, level, log }: Pick<LogEntry, 'namespace' | 'level' | 'log'>): RoutedLine {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    const line = `${namespace ? `${namespace}: ` : ''}${message} ${JSON.stringify(extra)}`;
    const own = nestLevel(level);
    if (message === BOUNDED_RETRIES_NOTE) return { level: 'debug', line };
    const key = this.expectedAtBoot(message, extra);
    if (key === undefined) return { level: own, line };
    const seen = (this.demoted.get(key) ?? 0) + 1;
    this.demoted.set(key, seen);
    if (seen <= EXPECTED_AT_BOOT_BUDGET) return { level: 'debug', line };
    return { level: own, line: `${line} (still failing after ${seen} attempts)` };
  }

  /** A key naming the retried condition, or undefined when the entry is not one of them. */
  private expectedAtBoot(message: string, extra: Record<string, unknown>): string | undefined {
    const error = typeof extra['error'] === 'string' ? extra['error'] : undefined;
    const api = COORDINATOR_REQUEST.exec(message)?.[1];
    if (api !== undefined && isCoordinatorWarmingUp(error)) return `${api}: ${error}`;

    const groupId = typeof extra['groupId'] === 'string' ? extra['groupId'] : '';
    const crash = /^Crash: KafkaJS\w*Error: (.*)$/.exec(message);
    if (crash) {
      // kafkajs restarts a consumer whose join met a coordinator still loading.
      if (isCoordinatorWarmingUp(crash[1])) {
        this.warmingGroups.add(groupId);
        return `crash: ${crash[1]}`;
      }
      this.warmingGroups.delete(groupId);
      return undefined;
    }
    if (message.startsWith('Restarting the consumer in ') && this.warmingGroups.has(groupId)) {
      return 'crash: restart';
    }
    return undefined;
  }
}

function nestLevel(level: logLevel): NestLevel {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'log';
    default:
      return 'debug';
  }
}
