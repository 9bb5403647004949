import kafkajs, { type Admin } from 'kafkajs';

// Node's ESM loader cannot see this export of the CommonJS kafkajs as a named one.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** Settings under which Kafka never deletes or compacts an event: the log is the source of truth. */
export const KEEP_FOREVER: Readonly<Record<string, string>> = {
  'retention.ms': '-1',
  'retention.bytes': '-1',
  'cleanup.policy': 'delete',
};

/**
 * What makes an acknowledged append survive a power cut. Kafka does not fsync by default: it
 * counts on other replicas. With fewer than 3 there is no such copy, so the broker fsyncs every
 * append before it answers (`flush.messages=1`; appends arrive batched, so one fsync covers many
 * events). With 3 or more replicas and min.insync.replicas=2, replication is the durability.
 */
export function durabilitySettings(replicationFactor: number): Readonly<Record<string, string>> {
  return replicationFactor < 3 ? { 'flush.messages': '1' } : {};
}

export class TopicMisconfiguredError extends Error {}

const PARTITIONS_SERVED_WITHIN_MS = 60_000;
const NOT_SERVED_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/** The Kafka error code behind a kafkajs error, also when it gave up retrying (originalError). */
function protocolErrorType(error: unknown): string | undefined {
  for (let e = error as { type?: string; originalError?: unknown } | undefined; e; e = e.originalError as typeof e) {
    if (e.type) return e.type;
  }
  return undefined;
}

/**
 * A new topic's leaders are in the cluster metadata (createTopics waited for them) some time
 * before each leader serves its partition: until then a produce, fetch or offset lookup answers
 * "This server does not host this topic-partition". The first start would fail on it, so this
 * waits until every partition answers an offset lookup.
 */
async function untilPartitionsServed(admin: Admin, topic: string): Promise<void> {
  const deadline = Date.now() + PARTITIONS_SERVED_WITHIN_MS;
  for (;;) {
    try {
      await admin.fetchTopicOffsets(topic);
      return;
    } catch (error) {
      if (!NOT_SERVED_YET.has(protocolErrorType(error) ?? '') || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Creates the event topic if it is missing: a fixed partition count, never deleted, never
 * compacted. An existing topic is checked instead: another partition count would move buckets
 * between partitions and break their ordering, and a retention or compaction setting would
 * lose events, so either refuses the start with a message naming the setting.
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
            ...Object.entries({ ...KEEP_FOREVER, ...durabilitySettings(spec.replicationFactor) }).map(([name, value]) => ({ name, value })),
            { name: 'min.insync.replicas', value: String(spec.minInsyncReplicas) },
          ],
        },
      ],
    });
    await untilPartitionsServed(admin, spec.topic);
    return;
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [spec.topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  if (partitions !== spec.partitions) {
    throw new TopicMisconfiguredError(
      `Topic ${spec.topic} has ${partitions} partitions but Sediment expects ${spec.partitions} ` +
        '(SEDIMENT_TOPIC_PARTITIONS for the bucket topic, 1 for the identity topic); ' +
        'changing it would reorder event histories. Set SEDIMENT_TOPIC_PARTITIONS to match, or recreate the topic.',
    );
  }
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic }],
  });
  const entries = described.resources[0]?.configEntries ?? [];
  const actual = Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
  const losing = Object.entries(KEEP_FOREVER).filter(([name, value]) => actual[name] !== value);
  if (losing.length > 0) {
    const found = losing.map(([name]) => `${name}=${actual[name]}`).join(', ');
    const wanted = losing.map(([name, value]) => `${name}=${value}`).join(', ');
    throw new TopicMisconfiguredError(
      `Topic ${spec.topic} has ${found}, which would lose events; the log must keep every event (${wanted}). ` +
        `Fix it with: kafka-configs --alter --entity-type topics --entity-name ${spec.topic} --add-config ${wanted.replaceAll(', ', ',')}`,
    );
  }
  const durability = durabilitySettings(spec.replicationFactor);
  if (Object.entries(durability).some(([name, value]) => actual[name] !== value)) {
    // A topic made before this setting existed gets it. AlterConfigs replaces a topic's whole
    // set of its own settings, so the ones it has are sent along.
    const own = entries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && !e.isSensitive);
    const configEntries = Object.entries({ ...Object.fromEntries(own.map((e) => [e.configName, e.configValue])), ...durability }).map(([name, value]) => ({ name, value }));
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries }] });
  }
}
