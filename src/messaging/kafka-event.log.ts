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
   * Appends records in order. They must all land on one partition (one key, or a topic of one
   * partition): positions are computed from each send's base offset.
   */
  async appendRecords(records: KafkaRecordOut[]): Promise<LogPosition[]> {
    if (records.length === 0) return [];
    const positions: LogPosition[] = [];
    // Usually one send. A batch above the broker's record-batch limit (DeleteObjects: up to
    // 1000 events) goes as consecutive sends, in order; only each send is all-or-nothing.
    for (const chunk of chunksUnder(records, MAX_SEND_BYTES)) {
      const [metadata] = await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.None, messages: chunk });
      // One key, one partition: the batch got consecutive offsets from baseOffset.
      const base = Number(metadata.baseOffset);
      positions.push(...chunk.map((_, i) => ({ partition: metadata.partition, offset: base + i })));
    }
    return positions;
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
