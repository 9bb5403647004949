import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import type { DependencyCheck, ReplayProgress, ServiceSnapshot } from './service-report.js';

/** The control collection (in MONGO_DATABASE) where the replay command records its progress. */
export const REPLAYS_COLLECTION = 'replays';
const RECENT_REPLAYS = 5;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Asks Kafka and MongoDB what /metrics and /health report, each check bounded by a short
 * timeout. A check still running when the next request comes is shared, not repeated, so a
 * scraper polling a dead broker cannot pile up requests behind kafkajs's retries.
 */
export class ServiceProbe {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly admin: Admin,
    private readonly home: Db,
    private readonly topics: readonly string[],
    private readonly timeoutMs = 2000,
  ) {}

  async snapshot(options: { replays: boolean }): Promise<ServiceSnapshot> {
    const [offsets, ping, replays] = await Promise.all([
      this.bounded('kafka', () => this.endOffsets()),
      this.bounded('mongodb', () => this.home.command({ ping: 1 })),
      options.replays ? this.bounded('replays', () => this.recentReplays()) : Promise.resolve({ ok: true as const, value: [] }),
    ]);
    return {
      kafka: check(offsets),
      mongodb: check(ping),
      endOffsets: offsets.ok ? offsets.value : new Map(),
      replays: replays.ok ? replays.value : [],
    };
  }

  private async endOffsets(): Promise<Map<string, Map<number, number>>> {
    const entries = await Promise.all(
      this.topics.map(async (topic) => {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        return [topic, new Map(offsets.map((o) => [o.partition, Number(o.high)]))] as const;
      }),
    );
    return new Map(entries);
  }

  private async recentReplays(): Promise<ReplayProgress[]> {
    const docs = await this.home.collection(REPLAYS_COLLECTION).find({}).sort({ startedAt: -1 }).limit(RECENT_REPLAYS).toArray();
    return docs
      .filter((d) => typeof d['done'] === 'number' && typeof d['total'] === 'number')
      .map((d) => ({
        id: String(d._id),
        target: String(d['target'] ?? ''),
        status: String(d['status'] ?? ''),
        done: d['done'] as number,
        total: d['total'] as number,
      }));
  }

  private bounded<T>(name: string, work: () => Promise<T>): Promise<Outcome<T>> {
    let running = this.inFlight.get(name) as Promise<T> | undefined;
    if (!running) {
      running = work();
      this.inFlight.set(name, running);
      const forget = () => this.inFlight.delete(name);
      running.then(forget, forget);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome<T>>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${this.timeoutMs} ms` }), this.timeoutMs);
      timer.unref();
    });
    const answered = running.then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
    return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
  }
}

function check(outcome: Outcome<unknown>): DependencyCheck {
  return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
}
