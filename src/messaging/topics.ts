import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the event topic if it is missing: fixed partition count, never deleted, never
 * compacted (the log is the source of truth). An existing topic with another partition count
 * is refused, since that would move buckets between partitions and break their ordering.
 */
export async function ensureTopic(admin: Admin, spec: TopicSpec): Promise<void> {
  const existing = await admin.listTopics();
  if (!existing.includes(spec.topic)) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'retention.bytes', value: '-1' },
            { name: 'cleanup.policy', value: 'delete' },
          ],
        },
      ],
    });
    return;
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [spec.topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  if (partitions !== spec.partitions) {
    throw new Error(
      `Topic ${spec.topic} has ${partitions} partitions but SEDIMENT_TOPIC_PARTITIONS is ${spec.partitions}; ` +
        'changing it would reorder bucket histories. Set SEDIMENT_TOPIC_PARTITIONS to match.',
    );
  }
}
