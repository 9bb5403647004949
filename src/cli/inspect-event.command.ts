import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import kafkajs, { type Admin, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { loadConfig, type SedimentConfig } from '../config/sediment.config.js';
import { decodeRecord, PoisonEventError, type LogPosition } from '../event-log/event-envelope.js';
import { decodeIdentityRecord } from '../event-log/identity-envelope.js';
import { poisonReason } from '../messaging/apply-failures.js';
import { quarantineCommand } from '../projections/projection-progress.js';
import type { CliCommand } from './cli-command.js';

const USAGE = `usage: sediment inspect-event --topic <topic> --partition <n> --offset <n>

Prints one record of a Kafka topic (key, headers, value) and whether Sediment's projections can
decode it: the tool to look at the poison event a stopped partition names (in its log line,
/health and the sediment_projection_poison_event_info metric). It only reads. A record that
decodes can still be refused by the database (e.g. a NUL in a key): /health gives that reason.`;

const FETCH_TIMEOUT_MS = 30_000;
const EXCERPT_BYTES = 512;
const EX_USAGE = 64;
const EX_NOINPUT = 66;

export const inspectEventCommand: CliCommand = {
  summary: 'print one record of a topic and whether Sediment can decode it',
  async run(args) {
    const parsed = parseInspectArgs(args);
    if (answeredUsage(parsed, USAGE)) return usageExit(parsed);
    const config = loadConfig(process.env);
    const kafka = new kafkajs.Kafka({
      clientId: `${config.KAFKA_CLIENT_ID}.inspect-event`,
      brokers: config.KAFKA_BROKERS.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const missing = await checkPosition(admin, parsed.topic, parsed.partition, parsed.offset);
      if (missing) {
        console.error(missing);
        return EX_NOINPUT;
      }
      const message = await fetchRecord(kafka, admin, parsed.topic, parsed.partition, parsed.offset);
      if (!message) {
        console.error(`${parsed.topic} partition ${parsed.partition} holds no record at offset ${parsed.offset} (a gap in the log).`);
        return EX_NOINPUT;
      }
      console.log(describeRecord({ topic: parsed.topic, partition: parsed.partition, message }, verdictFor(config, parsed.topic, parsed.partition, message)));
      return 0;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
};

export interface RecordPosition {
  topic: string;
  partition: number;
  offset: number;
}

/** The arguments of a command about one record: its position, plus the string options in `extra`. */
export type RecordArgs<X extends string = never> = (RecordPosition & { [K in X]?: string }) | { help: true } | { error: string };

export function parseRecordArgs<X extends string = never>(args: string[], extra: readonly X[] = []): RecordArgs<X> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        topic: { type: 'string' },
        partition: { type: 'string' },
        offset: { type: 'string' },
        help: { type: 'boolean' },
        ...Object.fromEntries(extra.map((name) => [name, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values['help']) return { help: true };
  if (!values['topic']) return { error: '--topic is required' };
  for (const name of ['partition', 'offset'] as const) {
    if (!/^\d+$/.test(String(values[name] ?? ''))) return { error: `--${name} must be a non-negative integer` };
  }
  const extras = Object.fromEntries(extra.filter((name) => values[name] !== undefined).map((name) => [name, values[name]]));
  return { topic: String(values['topic']), partition: Number(values['partition']), offset: Number(values['offset']), ...extras } as RecordArgs<X>;
}

export function parseInspectArgs(args: string[]): RecordArgs {
  return parseRecordArgs(args);
}

/**
 * Whether the arguments asked for help or were wrong, having answered it alike for every command:
 * the usage on stdout, or the error and the usage on stderr. The exit code is then `usageExit`.
 */
export function answeredUsage(parsed: object, usage: string): parsed is { help: true } | { error: string } {
  if ('help' in parsed) console.log(usage);
  else if ('error' in parsed) console.error(`${String(parsed.error)}\n\n${usage}`);
  else return false;
  return true;
}

export function usageExit(parsed: { help: true } | { error: string }): number {
  return 'help' in parsed ? 0 : EX_USAGE;
}

/** Why the record cannot be there, or undefined if the topic holds that offset. */
export async function checkPosition(admin: Admin, topic: string, partition: number, offset: number): Promise<string | undefined> {
  if (!(await admin.listTopics()).includes(topic)) return `topic ${topic} does not exist`;
  const offsets = await admin.fetchTopicOffsets(topic);
  const range = offsets.find((o) => o.partition === partition);
  if (!range) return `topic ${topic} has no partition ${partition} (it has ${offsets.length})`;
  const [low, high] = [Number(range.low), Number(range.high)];
  if (offset < low || offset >= high) {
    return `${topic} partition ${partition} has no offset ${offset}: it holds ${high > low ? `offsets ${low} to ${high - 1}` : 'no records'}`;
  }
  return undefined;
}

/**
 * Reads the one record with a consumer of its own group (deleted afterwards, nothing committed):
 * the asked partition from the offset, every other one from its end so nothing else is fetched.
 * Resolves null when the log skips the offset.
 */
export async function fetchRecord(kafka: Kafka, admin: Admin, topic: string, partition: number, offset: number): Promise<KafkaMessage | null> {
  const groupId = `sediment.inspect-event.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
  const seek = () => {
    for (const [p, end] of ends) consumer.seek({ topic, partition: p, offset: p === partition ? String(offset) : end });
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<KafkaMessage | null>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${FETCH_TIMEOUT_MS / 1000} s`)), FETCH_TIMEOUT_MS);
      consumer.on(consumer.events.GROUP_JOIN, seek);
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
      consumer
        .connect()
        .then(() => consumer.subscribe({ topic, fromBeginning: true }))
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition) return;
              const found = batch.messages.find((m) => Number(m.offset) >= offset);
              if (found) resolve(Number(found.offset) === offset ? found : null);
            },
          }),
        )
        .then(seek)
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

/** What Sediment makes of the record: which projection reads the topic, and whether it decodes. */
export function verdictFor(config: Pick<SedimentConfig, 'SEDIMENT_BUCKET_TOPIC' | 'SEDIMENT_IDENTITY_TOPIC'>, topic: string, partition: number, message: Pick<KafkaMessage, 'offset' | 'value'>): string {
  const position: LogPosition = { partition, offset: Number(message.offset) };
  const decoders = {
    [config.SEDIMENT_BUCKET_TOPIC]: { projection: 'bucket-metadata', decode: (v: Buffer | null) => decodeRecord(v, position).envelope },
    [config.SEDIMENT_IDENTITY_TOPIC]: { projection: 'identity', decode: (v: Buffer | null) => decodeIdentityRecord(v, position).envelope },
  };
  const reader = decoders[topic];
  if (!reader) {
    return `not decoded: ${topic} is neither SEDIMENT_BUCKET_TOPIC (${config.SEDIMENT_BUCKET_TOPIC}) nor SEDIMENT_IDENTITY_TOPIC (${config.SEDIMENT_IDENTITY_TOPIC})`;
  }
  try {
    const env = reader.decode(message.value);
    const subject = 'bucket' in env ? `bucket ${env.bucket}` : `subject ${env.subject}`;
    return `ok: the ${reader.projection} projection reads it as ${env.type} (schema v${env.schemaVersion}) of ${subject}`;
  } catch (error) {
    if (!(error instanceof PoisonEventError)) throw error;
    return (
      `POISON: ${poisonReason(error)}. The ${reader.projection} projection stops partition ${partition} at this record and applies ` +
      `nothing after it there until it is quarantined: ${quarantineCommand({ topic, partition, offset: position.offset })}`
    );
  }
}

export interface InspectedRecord {
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'offset' | 'key' | 'value' | 'headers' | 'timestamp'>;
}

export function describeRecord({ topic, partition, message }: InspectedRecord, verdict: string): string {
  const time = Number(message.timestamp);
  const lines = [
    `topic:     ${topic}`,
    `partition: ${partition}`,
    `offset:    ${message.offset}`,
    `timestamp: ${Number.isFinite(time) ? new Date(time).toISOString() : message.timestamp}`,
    `key:       ${message.key === null ? '(none)' : bytesInline(message.key)}`,
    'headers:',
    ...headerLines(message.headers),
    ...valueLines(message.value),
    `verdict:   ${verdict}`,
  ];
  return lines.join('\n');
}

function headerLines(headers: IHeaders | undefined): string[] {
  const entries = Object.entries(headers ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return ['  (none)'];
  return entries.flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value!]).map((v) => `  ${name}: ${typeof v === 'string' ? v : bytesInline(v)}`),
  );
}

function valueLines(value: Buffer | null): string[] {
  if (value === null) return ['value:     (null)'];
  const text = utf8(value);
  if (text !== undefined) {
    try {
      const pretty = JSON.stringify(JSON.parse(text), null, 2);
      return [`value (${value.length} bytes, JSON):`, ...pretty.split('\n').map((l) => `  ${l}`)];
    } catch {
      // not JSON: shown as text below
    }
  }
  const cut = value.length > EXCERPT_BYTES ? `, first ${EXCERPT_BYTES} shown` : '';
  const excerpt = value.subarray(0, EXCERPT_BYTES);
  return [
    `value (${value.length} bytes, not JSON${cut}):`,
    ...(text !== undefined ? [`  utf-8: ${JSON.stringify(utf8(excerpt) ?? excerpt.toString('utf8'))}`] : ['  utf-8: (not valid UTF-8)']),
    `  hex:   ${excerpt.toString('hex').replace(/(.{2})/g, '$1 ').trim()}`,
  ];
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function bytesInline(bytes: Buffer): string {
  const text = utf8(bytes);
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return text !== undefined && !/[\u0000-\u001f]/.test(text) ? text : `0x${bytes.toString('hex')}`;
}
