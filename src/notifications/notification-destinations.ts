import type { Admin } from 'kafkajs';
import { KEEP_FOREVER } from '../messaging/topics.js';

/** Where notification messages go: Kafka topics, created on demand. */
export abstract class NotificationDestinations {
  /** Makes sure every topic exists, creating the missing ones. */
  abstract ensure(topics: readonly string[]): Promise<void>;
}

export interface DestinationTopicSettings {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

/**
 * Creates missing destination topics with the settings of Sediment's own topics: kept forever,
 * never compacted (a consumer that falls behind must not lose notifications to retention).
 * An existing topic is taken as it is: it belongs to whoever created it, and records of one
 * key stay in order under any partition count.
 */
export class KafkaNotificationDestinations extends NotificationDestinations {
  constructor(
    private readonly admin: Admin,
    private readonly settings: DestinationTopicSettings,
  ) {
    super();
  }

  async ensure(topics: readonly string[]): Promise<void> {
    const wanted = [...new Set(topics)];
    if (wanted.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.settings.partitions,
          replicationFactor: this.settings.replicationFactor,
          configEntries: [
            ...Object.entries(KEEP_FOREVER).map(([name, value]) => ({ name, value })),
            { name: 'min.insync.replicas', value: String(this.settings.minInsyncReplicas) },
          ],
        })),
      });
    } catch (error) {
      // Another client created it meanwhile: what we wanted.
      if (!isTopicAlreadyExists(error)) throw error;
    }
  }
}

function isTopicAlreadyExists(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] } | null;
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
}
