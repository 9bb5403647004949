import { clip, type ProjectionProgress, type StoppedPartition } from '../projections/projection-progress.js';
import type { MetricFamily, Sample } from './prometheus-text.js';

/** A projection as the admin listener sees it: its name, the topic it follows and its progress. */
export interface ObservedProjection {
  name: string;
  topic: string;
  progress: ProjectionProgress;
}

/** A partition stopped on a poison record: where, why, and since when. */
export interface PoisonReport {
  partition: number;
  offset: number;
  reason: string;
  since: string;
}

export interface DependencyCheck {
  ok: boolean;
  error?: string;
}

/** A replay's progress, from the `replays` control collection the replay command writes. */
export interface ReplayProgress {
  id: string;
  target: string;
  status: string;
  done: number;
  total: number;
}

/** What the probes found, at one moment. */
export interface ServiceSnapshot {
  kafka: DependencyCheck;
  mongodb: DependencyCheck;
  /** Each topic's end offsets (the offset the next record will get) by partition; empty when Kafka did not answer. */
  endOffsets: ReadonlyMap<string, ReadonlyMap<number, number>>;
  replays: readonly ReplayProgress[];
}

export interface ProjectionReport {
  name: string;
  /** Stopped: the whole projection, or at least one partition (ADR 0011: the others go on). */
  state: 'running' | 'stopped';
  /** Events in the log not yet applied, by partition; null when the end offsets are unknown. */
  lagByPartition: ReadonlyMap<number, number> | null;
  lag: number | null;
  eventsApplied: number;
  /** Every partition stopped on a poison record, in partition order. */
  poison: PoisonReport[];
  /** Why the whole projection stopped, if it did. */
  error?: string;
}

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthBody {
  status: HealthStatus;
  kafka: DependencyCheck;
  mongodb: DependencyCheck;
  projections: Record<string, { state: 'running' | 'stopped'; lag: number | null; poison?: PoisonReport[]; error?: string }>;
}

export function poisonReport(stop: StoppedPartition): PoisonReport {
  return { partition: stop.partition, offset: stop.offset, reason: clip(stop.reason, 500), since: stop.since.toISOString() };
}

export function reportProjection(projection: ObservedProjection, endOffsets: ServiceSnapshot['endOffsets']): ProjectionReport {
  const { progress } = projection;
  const ends = endOffsets.get(projection.topic);
  let lagByPartition: Map<number, number> | null = null;
  if (ends) {
    lagByPartition = new Map(
      [...ends].sort(([a], [b]) => a - b).map(([partition, end]) => [partition, Math.max(0, end - 1 - progress.appliedOffset(partition))]),
    );
  }
  const failure = progress.stoppedBy;
  const poison = progress.stoppedPartitions().map(poisonReport);
  return {
    name: projection.name,
    state: failure || poison.length > 0 ? 'stopped' : 'running',
    lagByPartition,
    lag: lagByPartition ? [...lagByPartition.values()].reduce((sum, lag) => sum + lag, 0) : null,
    eventsApplied: progress.eventsApplied,
    poison,
    ...(failure ? { error: failure.message } : {}),
  };
}

/**
 * Down: a dependency does not answer or a projection stopped (writes cannot be answered).
 * Degraded: all is reachable but the service is still catching up with the log at boot.
 */
export function healthReport(
  snapshot: ServiceSnapshot,
  projections: readonly ProjectionReport[],
  booted: boolean,
): { httpStatus: number; body: HealthBody } {
  const down = !snapshot.kafka.ok || !snapshot.mongodb.ok || projections.some((p) => p.state === 'stopped');
  const status: HealthStatus = down ? 'down' : booted ? 'ok' : 'degraded';
  return {
    httpStatus: status === 'ok' ? 200 : 503,
    body: {
      status,
      kafka: snapshot.kafka,
      mongodb: snapshot.mongodb,
      projections: Object.fromEntries(
        projections.map((p) => [
          p.name,
          { state: p.state, lag: p.lag, ...(p.poison.length > 0 ? { poison: p.poison } : {}), ...(p.error ? { error: p.error } : {}) },
        ]),
      ),
    },
  };
}

/** Gauges and counters of the projections, replays and dependencies (the S3 ones live in S3RequestMetrics). */
export function serviceFamilies(snapshot: ServiceSnapshot, projections: readonly ProjectionReport[]): MetricFamily[] {
  const lag: Sample[] = projections.flatMap((p) =>
    [...(p.lagByPartition ?? [])].map(([partition, value]) => ({ labels: { projection: p.name, partition }, value })),
  );
  return [
    {
      name: 'sediment_projection_lag_events',
      help: 'Events in the log not yet applied to the read model: end offset - 1 - applied offset, by partition.',
      type: 'gauge',
      samples: lag,
    },
    {
      name: 'sediment_projection_events_applied_total',
      help: 'Events applied to the read model since this process started.',
      type: 'counter',
      samples: projections.map((p) => ({ labels: { projection: p.name }, value: p.eventsApplied })),
    },
    {
      name: 'sediment_projection_stopped',
      help: '1 when the projection or one of its partitions stopped (a poison event): nothing after it is applied there and writes to it answer 503.',
      type: 'gauge',
      samples: projections.map((p) => ({ labels: { projection: p.name }, value: p.state === 'stopped' ? 1 : 0 })),
    },
    {
      name: 'sediment_projection_poison_event_info',
      help: 'The record a stopped partition cannot apply, one series per stopped partition; inspect it with `sediment inspect-event`, skip it with `sediment quarantine-event`.',
      type: 'gauge',
      samples: projections.flatMap((p) =>
        p.poison.map((poison) => ({
          labels: { projection: p.name, partition: poison.partition, offset: poison.offset, reason: clip(poison.reason) },
          value: 1,
        })),
      ),
    },
    {
      name: 'sediment_replay_events_done',
      help: 'Events a replay has applied to its new read model so far.',
      type: 'gauge',
      samples: snapshot.replays.map((r) => ({ labels: { replay: r.id }, value: r.done })),
    },
    {
      name: 'sediment_replay_events_total',
      help: 'Events a replay has to apply (the log end offsets when it started).',
      type: 'gauge',
      samples: snapshot.replays.map((r) => ({ labels: { replay: r.id }, value: r.total })),
    },
    {
      name: 'sediment_replay_info',
      help: 'A recent replay: its target database and status.',
      type: 'gauge',
      samples: snapshot.replays.map((r) => ({ labels: { replay: r.id, target: r.target, status: r.status }, value: 1 })),
    },
    {
      name: 'sediment_dependency_up',
      help: '1 when the dependency answered a bounded check (Kafka: end offsets; MongoDB: ping).',
      type: 'gauge',
      samples: [
        { labels: { dependency: 'kafka' }, value: snapshot.kafka.ok ? 1 : 0 },
        { labels: { dependency: 'mongodb' }, value: snapshot.mongodb.ok ? 1 : 0 },
      ],
    },
  ];
}
