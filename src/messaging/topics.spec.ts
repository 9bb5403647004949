import kafkajs, { type Admin } from 'kafkajs';
import { durabilitySettings, ensureTopic, TopicMisconfiguredError, type TopicSpec } from './topics.js';

const { ConfigSource } = kafkajs;

interface ExistingTopic {
  partitions: number;
  /** name -> [value, where it is set]. */
  configs: Record<string, [string, number]>;
}

/** The part of kafkajs' Admin that ensureTopic uses, over topics held in memory. */
function fakeAdmin(topics: Record<string, ExistingTopic> = {}, offsetErrors: unknown[] = []) {
  const calls: { created: unknown[]; altered: unknown[]; offsetLookups: number } = { created: [], altered: [], offsetLookups: 0 };
  const admin = {
    fetchTopicOffsets: async () => {
      calls.offsetLookups += 1;
      const error = offsetErrors.shift();
      if (error) throw error;
      return [];
    },
    listTopics: async () => Object.keys(topics),
    createTopics: async (request: unknown) => {
      calls.created.push(request);
      return true;
    },
    fetchTopicMetadata: async ({ topics: names }: { topics: string[] }) => ({
      topics: names.map((name) => ({ name, partitions: Array.from({ length: topics[name]!.partitions }, (_, i) => ({ partitionId: i })) })),
    }),
    describeConfigs: async ({ resources }: { resources: { name: string }[] }) => ({
      resources: resources.map(({ name }) => ({
        configEntries: Object.entries(topics[name]!.configs).map(([configName, [configValue, configSource]]) => ({ configName, configValue, configSource, isSensitive: false })),
      })),
    }),
    alterConfigs: async (request: unknown) => {
      calls.altered.push(request);
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

const SPEC: TopicSpec = { topic: 'sediment.bucket-events', partitions: 12, replicationFactor: 1, minInsyncReplicas: 1 };
const TOPIC = ConfigSource.TOPIC_CONFIG;
const DEFAULT = ConfigSource.DEFAULT_CONFIG;
const KEPT: ExistingTopic['configs'] = { 'retention.ms': ['-1', TOPIC], 'retention.bytes': ['-1', TOPIC], 'cleanup.policy': ['delete', TOPIC] };

describe('durabilitySettings', () => {
  it('fsyncs every append below three replicas, and leaves durability to replication from three', () => {
    expect(durabilitySettings(1)).toEqual({ 'flush.messages': '1' });
    expect(durabilitySettings(2)).toEqual({ 'flush.messages': '1' });
    expect(durabilitySettings(3)).toEqual({});
  });
});

describe('ensureTopic', () => {
  it('creates a missing topic that keeps every event, with its partitions, replicas and flush setting', async () => {
    const { admin, calls } = fakeAdmin();
    await ensureTopic(admin, SPEC);
    expect(calls.created).toEqual([
      {
        waitForLeaders: true,
        topics: [
          {
            topic: SPEC.topic,
            numPartitions: 12,
            replicationFactor: 1,
            configEntries: [
              { name: 'retention.ms', value: '-1' },
              { name: 'retention.bytes', value: '-1' },
              { name: 'cleanup.policy', value: 'delete' },
              { name: 'flush.messages', value: '1' },
              { name: 'min.insync.replicas', value: '1' },
            ],
          },
        ],
      },
    ]);
  });

  it('waits until the new topic\'s leaders serve it ("does not host this topic-partition" at first)', async () => {
    const notHosted = Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    const gaveUp = Object.assign(new Error('Number of retries exceeded'), { originalError: notHosted });
    const { admin, calls } = fakeAdmin({}, [notHosted, gaveUp]);
    await ensureTopic(admin, SPEC);
    expect(calls.offsetLookups).toBe(3);
  });

  it('does not wait out any other error of the new topic', async () => {
    const denied = Object.assign(new Error('Topic authorization failed'), { type: 'TOPIC_AUTHORIZATION_FAILED' });
    const { admin, calls } = fakeAdmin({}, [denied]);
    await expect(ensureTopic(admin, SPEC)).rejects.toThrow('Topic authorization failed');
    expect(calls.offsetLookups).toBe(1);
  });

  it('accepts an existing topic set as it would create it, changing nothing', async () => {
    const { admin, calls } = fakeAdmin({ [SPEC.topic]: { partitions: 12, configs: { ...KEPT, 'flush.messages': ['1', TOPIC] } } });
    await ensureTopic(admin, SPEC);
    expect(calls).toEqual({ created: [], altered: [], offsetLookups: 0 });
  });

  it('refuses another partition count, which would reorder histories', async () => {
    const { admin } = fakeAdmin({ [SPEC.topic]: { partitions: 4, configs: KEPT } });
    await expect(ensureTopic(admin, SPEC)).rejects.toThrow(TopicMisconfiguredError);
    await expect(ensureTopic(admin, SPEC)).rejects.toThrow(/has 4 partitions but Sediment expects 12/);
  });

  it('refuses a retention that would delete events, naming the command that fixes it', async () => {
    const { admin, calls } = fakeAdmin({ [SPEC.topic]: { partitions: 12, configs: { ...KEPT, 'retention.ms': ['604800000', DEFAULT] } } });
    await expect(ensureTopic(admin, SPEC)).rejects.toThrow(/retention\.ms=604800000, which would lose events.*--add-config retention\.ms=-1/);
    expect(calls.altered).toEqual([]);
  });

  it('adds flush.messages to a single-replica topic made without it, keeping the settings the topic has', async () => {
    const { admin, calls } = fakeAdmin({ [SPEC.topic]: { partitions: 12, configs: { ...KEPT, 'min.insync.replicas': ['1', TOPIC], 'segment.bytes': ['1073741824', DEFAULT] } } });
    await ensureTopic(admin, SPEC);
    expect(calls.altered).toEqual([
      {
        validateOnly: false,
        resources: [
          {
            type: kafkajs.ConfigResourceTypes.TOPIC,
            name: SPEC.topic,
            configEntries: [
              { name: 'retention.ms', value: '-1' },
              { name: 'retention.bytes', value: '-1' },
              { name: 'cleanup.policy', value: 'delete' },
              { name: 'min.insync.replicas', value: '1' },
              { name: 'flush.messages', value: '1' },
            ],
          },
        ],
      },
    ]);
  });

  it('forces no flush on a topic replicated three times', async () => {
    const { admin, calls } = fakeAdmin({ [SPEC.topic]: { partitions: 12, configs: KEPT } });
    await ensureTopic(admin, { ...SPEC, replicationFactor: 3, minInsyncReplicas: 2 });
    expect(calls.altered).toEqual([]);
  });
});
