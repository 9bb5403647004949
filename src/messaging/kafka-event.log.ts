import { CompressionTypes, Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { encodeEnvelope, type EventEnvelope, type KafkaRecordOut, type LogPosition } from '../event-log/event-envelope.js';
import { EventLog } from '../event-log/event-log.port.js';

/**
 * Appends through kafkajs's idempotent producer: acks=all, one request in flight, so a retried
 * send can neither duplicate nor reorder a bucket's events. Keyed by bucket name with the
 * Java-compatible murmur2 partitioner, so other Kafka clients agree on the partition.
 */
export class KafkaEventLog extends EventLog {
  private readonly producer: Producer;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionMetadata;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly topic: string,
    partitions: number,
  ) {
    super();
    this.partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
      offlineReplicas: [],
    }));
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async append(bucket: string, envelopes: EventEnvelope[]): Promise<LogPosition[]> {
    const records = envelopes.map(encodeEnvelope);
    for (const record of records) {
      if (record.key !== bucket) throw new Error(`event of bucket ${record.key} appended to ${bucket}`);
    }
    return this.appendRecords(records);
  }

  /**
   * Appends records in order, each call's records together. Calls made while a send is in flight
   * wait and then go as one send (group commit): one produce request, one fsync per partition
   * on a single-replica topic (topics.ts), however many writers are waiting. Records of one call
   * must all land on one partition (one key, or a topic of one partition).
   */
  appendRecords(records: KafkaRecordOut[]): Promise<LogPosition[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ records, bytes: records.reduce((n, r) => n + recordBytes(r), 0), resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private readonly queue: PendingAppend[] = [];
  private sending = false;

  /** Sends what waits, one send at a time, until nothing does. */
  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0]!;
        if (first.bytes > MAX_SEND_BYTES) {
          this.queue.shift();
          await settle([first], () => this.sendAlone(first.records));
          continue;
        }
        let bytes = 0;
        let count = 0;
        while (count < this.queue.length && this.queue[count]!.bytes <= MAX_SEND_BYTES - bytes) bytes += this.queue[count++]!.bytes;
        const group = this.queue.splice(0, count);
        await settle(group, () => this.sendGroup(group));
      }
    } finally {
      this.sending = false;
    }
  }

  /**
   * One send of several calls' records, each record on the partition of its key: kafkajs keeps
   * the order of a partition's records in its batch, so the i-th of a partition is at its base
   * offset plus i.
   */
  private async sendGroup(group: PendingAppend[]): Promise<LogPosition[][]> {
    const messages = group.flatMap((append) => append.records.map((record) => ({ ...record, partition: this.partitionOf(record.key) })));
    const metadata = await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.None, messages });
    const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    return group.map((append) =>
      append.records.map((record) => {
        const partition = this.partitionOf(record.key);
        const offset = next.get(partition);
        if (offset === undefined) throw new Error(`the broker acknowledged no batch of partition ${partition}`);
        next.set(partition, offset + 1);
        return { partition, offset };
      }),
    );
  }

  /** A call above the broker's record-batch limit (DeleteObjects: up to 1000 events) goes as consecutive sends; only each is all-or-nothing. */
  private async sendAlone(records: KafkaRecordOut[]): Promise<LogPosition[][]> {
    const positions: LogPosition[] = [];
    for (const chunk of chunksUnder(records, MAX_SEND_BYTES)) {
      const [metadata] = await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.None, messages: chunk });
      // One key, one partition: the batch got consecutive offsets from baseOffset.
      const base = Number(metadata!.baseOffset);
      positions.push(...chunk.map((_, i) => ({ partition: metadata!.partition, offset: base + i })));
    }
    return [positions];
  }

  partitionOf(bucket: string): number {
    return this.partitioner({
      topic: this.topic,
      partitionMetadata: this.partitionMetadata,
      message: { key: bucket, value: null },
    });
  }

  async endOffsets(): Promise<Map<number, number>> {
    // Right after a topic is created its leaders may not be known everywhere yet; that error
    // is retriable and passes within moments.
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await this.admin.fetchTopicOffsets(this.topic);
        return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}

interface PendingAppend {
  records: KafkaRecordOut[];
  bytes: number;
  resolve(positions: LogPosition[]): void;
  reject(error: unknown): void;
}

/** Answers each waiting call with its positions, or every one of them with the send's failure. */
async function settle(group: PendingAppend[], send: () => Promise<LogPosition[][]>): Promise<void> {
  try {
    const positions = await send();
    group.forEach((append, i) => append.resolve(positions[i]!));
  } catch (error) {
    for (const append of group) append.reject(error);
  }
}

/** Well under the broker's default message.max.bytes (1 MiB), which bounds one record batch. */
const MAX_SEND_BYTES = 512 * 1024;

/** Consecutive chunks whose encoded size stays under `limit` (a single larger record goes alone). */
function chunksUnder(records: KafkaRecordOut[], limit: number): KafkaRecordOut[][] {
  const chunks: KafkaRecordOut[][] = [];
  let current: KafkaRecordOut[] = [];
  let size = 0;
  for (const record of records) {
    const bytes = recordBytes(record);
    if (current.length > 0 && size + bytes > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function recordBytes(record: KafkaRecordOut): number {
  const headers = Object.entries(record.headers).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  // Plus a generous allowance for the record's framing (varints, timestamps, attributes).
  return Buffer.byteLength(record.key) + Buffer.byteLength(record.value) + headers + 64;
}
