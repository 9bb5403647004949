// The machine-readable event contract (docs/asyncapi.yaml) as a validator of Kafka records. Every
// message of a channel is one event type at one schemaVersion: the envelope's (type,
// schemaVersion) picks it, and the record must then match its payload, headers and key schemas
// and agree with itself (headers and key repeat envelope fields). Nothing here knows the event
// types: adding one, or a version, is an edit to the YAML only.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { readAllRecords, topicExists, type RawTopicRecord } from './kafka-topic-reader.js';

// ajv-formats is CommonJS with a default export: under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/** docs/asyncapi.yaml; SEDIMENT_EVENT_CONTRACT names another copy (to try a change to it without touching the real one). */
export const ASYNCAPI_PATH = process.env.SEDIMENT_EVENT_CONTRACT ?? fileURLToPath(new URL('../../docs/asyncapi.yaml', import.meta.url));

export type TopicKind = 'bucket' | 'identity' | 'control';

/** The AsyncAPI channel of each topic, and the envelope field that is the record key. */
export const CONTRACT_CHANNELS: Record<TopicKind, { channel: string; subjectField: 'bucket' | 'subject' }> = {
  bucket: { channel: 'bucketEvents', subjectField: 'bucket' },
  identity: { channel: 'identityEvents', subjectField: 'subject' },
  control: { channel: 'controlEvents', subjectField: 'subject' },
};

/** A Kafka record as read from the log: headers as text, value as text or bytes. */
export interface ContractRecord {
  key: string | null;
  value: string | Buffer | null;
  headers: Record<string, string | Buffer | undefined>;
}

export interface ContractExample {
  name?: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

/** One message of a channel: an event type at one schema version. */
export interface ContractMessage {
  /** Its name under the channel's `messages`. */
  name: string;
  type: string;
  schemaVersion: number;
  examples: ContractExample[];
}

interface CompiledMessage extends ContractMessage {
  payload: ValidateFunction;
  headers: ValidateFunction;
  key: ValidateFunction;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a local JSON pointer (`#/components/schemas/X`). */
function pointer(root: Json, ref: string): Json {
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? (node as Record<string, Json>)[token] : Array.isArray(node) ? node[Number(token)] : undefined;
    if (node === undefined) throw new Error(`docs/asyncapi.yaml: $ref ${ref} points at nothing`);
  }
  return node;
}

/** `node` with every local `$ref` replaced by what it points at (siblings of `$ref` are ignored, as in JSON Schema draft-07 and AsyncAPI). */
function dereference(root: Json, node: Json, stack: readonly string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => dereference(root, item, stack));
  if (!isObject(node)) return node;
  const ref = (node as Record<string, Json>)['$ref'];
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`docs/asyncapi.yaml: only local $refs are supported, not ${ref}`);
    if (stack.includes(ref)) throw new Error(`docs/asyncapi.yaml: circular $ref ${[...stack, ref].join(' -> ')}`);
    return dereference(root, pointer(root, ref), [...stack, ref]);
  }
  return Object.fromEntries(Object.entries(node as Record<string, Json>).map(([k, v]) => [k, dereference(root, v, stack)]));
}

function formatError(where: string, error: ErrorObject): string {
  const path = `${where}${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${path} has a field the contract does not allow: ${String(params['additionalProperty'])}`;
  if (error.keyword === 'required') return `${path} lacks required field ${String(params['missingProperty'])}`;
  if (error.keyword === 'const') return `${path} must be ${JSON.stringify(params['allowedValue'])}`;
  if (error.keyword === 'enum') return `${path} must be one of ${JSON.stringify(params['allowedValues'])}`;
  return `${path} ${error.message ?? error.keyword}`;
}

function schemaProblems(validate: ValidateFunction, value: unknown, where: string): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => formatError(where, error));
}

const text = (value: string | Buffer | undefined | null): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : value.toString('utf8');

export class EventContract {
  private readonly channels = new Map<TopicKind, CompiledMessage[]>();

  /** `document` is the parsed AsyncAPI document (tests may pass an altered copy). */
  constructor(document: unknown) {
    const root = document as Json;
    if (!isObject(root) || root['asyncapi'] !== '3.0.0') throw new Error('docs/asyncapi.yaml: not an AsyncAPI 3.0.0 document');
    // strict: a misspelt keyword (`requried`) is an error, not a schema that accepts everything.
    const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));
    for (const kind of Object.keys(CONTRACT_CHANNELS) as TopicKind[]) {
      const { channel } = CONTRACT_CHANNELS[kind];
      const messages = dereference(root, pointer(root, `#/channels/${channel}/messages`));
      if (!isObject(messages)) throw new Error(`docs/asyncapi.yaml: channel ${channel} has no messages`);
      const compiled: CompiledMessage[] = [];
      for (const [name, message] of Object.entries(messages)) {
        const where = `docs/asyncapi.yaml: channel ${channel} message ${name}`;
        if (!isObject(message) || !isObject(message['payload']) || !isObject(message['headers'])) {
          throw new Error(`${where} needs a payload and headers`);
        }
        // The envelope's (type, schemaVersion) picks the message: both are consts of its payload.
        const properties = message['payload']['properties'];
        const constOf = (field: string) => (isObject(properties) && isObject(properties[field]) ? properties[field]['const'] : undefined);
        const type = constOf('type');
        const version = constOf('schemaVersion');
        if (typeof type !== 'string' || typeof version !== 'number') {
          throw new Error(`${where}: its payload needs \`type\` and \`schemaVersion\` consts`);
        }
        if (compiled.some((m) => m.type === type && m.schemaVersion === version)) {
          throw new Error(`${where}: a second message for ${type} v${version}`);
        }
        const bindings = message['bindings'];
        const key = isObject(bindings) && isObject(bindings['kafka']) ? bindings['kafka']['key'] : undefined;
        if (!isObject(key)) throw new Error(`${where} needs bindings.kafka.key`);
        const compile = (schema: Json, part: string): ValidateFunction => {
          try {
            return ajv.compile(schema as object);
          } catch (error) {
            throw new Error(`${where}: its ${part} schema does not compile: ${(error as Error).message}`);
          }
        };
        compiled.push({
          name,
          type,
          schemaVersion: version,
          examples: Array.isArray(message['examples']) ? (message['examples'] as unknown as ContractExample[]) : [],
          payload: compile(message['payload'], 'payload'),
          headers: compile(message['headers'], 'headers'),
          key: compile(key, 'key'),
        });
      }
      this.channels.set(kind, compiled);
    }
  }

  /** The messages (event type × schema version) of a topic's channel. */
  messages(kind: TopicKind): ContractMessage[] {
    return this.channels.get(kind)!.map(({ name, type, schemaVersion, examples }) => ({ name, type, schemaVersion, examples }));
  }

  /** What is wrong with `record` as a record of the `kind` topic; empty when it matches the contract. */
  validateRecord(kind: TopicKind, record: ContractRecord): string[] {
    const { channel, subjectField } = CONTRACT_CHANNELS[kind];
    const value = text(record.value);
    if (value === undefined) return ['the record has no value'];
    let envelope: unknown;
    try {
      envelope = JSON.parse(value);
    } catch {
      return [`the value is not JSON: ${value.slice(0, 120)}`];
    }
    if (!isObject(envelope)) return ['the value is not a JSON object'];
    const { type, schemaVersion } = envelope;
    if (typeof type !== 'string') return ['the envelope has no string `type`'];
    const ofType = this.channels.get(kind)!.filter((m) => m.type === type);
    if (ofType.length === 0) return [`type ${JSON.stringify(type)} has no message in channel ${channel}`];
    const message = ofType.find((m) => m.schemaVersion === schemaVersion);
    if (!message) {
      const known = ofType.map((m) => m.schemaVersion).join(', ');
      return [`${type} schemaVersion ${JSON.stringify(schemaVersion)} has no message in channel ${channel} (versions: ${known})`];
    }

    const headers: Record<string, string> = {};
    for (const [name, raw] of Object.entries(record.headers)) {
      const value = text(raw);
      if (value !== undefined) headers[name] = value;
    }
    const key = text(record.key);
    const problems = [
      ...schemaProblems(message.payload, envelope, 'value'),
      ...schemaProblems(message.headers, headers, 'headers'),
      ...(key === undefined ? ['the record has no key'] : schemaProblems(message.key, key, 'key')),
    ];

    // Headers and key repeat envelope fields (docs/events.md): they must agree.
    const agree = (what: string, actual: string | undefined, expected: unknown) => {
      if (actual !== undefined && expected !== undefined && actual !== String(expected)) {
        problems.push(`${what} is ${JSON.stringify(actual)} but should be ${JSON.stringify(String(expected))}`);
      }
    };
    agree('header ce_id', headers['ce_id'], envelope['id']);
    agree('header ce_type', headers['ce_type'], envelope['type']);
    agree('header ce_time', headers['ce_time'], envelope['time']);
    agree('header ce_dataschemaversion', headers['ce_dataschemaversion'], envelope['schemaVersion']);
    agree('header ce_subject', headers['ce_subject'], key);
    agree(`the record key (envelope ${subjectField})`, key, envelope[subjectField]);
    // The subject names what `data` is about: the bucket, or account/<accountId> /
    // user/<userName> (user/<accountId>/<userName> outside the default account) / bucket/<bucket>.
    const data = envelope['data'];
    const subject = envelope[subjectField];
    if (isObject(data) && typeof subject === 'string') {
      const { bucket, userName, accountId } = data;
      const { topic, partition, offset } = data;
      const expected =
        kind === 'bucket'
          ? bucket
          : kind === 'control'
            ? `${String(topic)}/${String(partition)}/${String(offset)}`
            : typeof bucket === 'string'
              ? `bucket/${bucket}`
              : typeof userName === 'string'
                ? accountId === undefined || accountId === '000000000000'
                  ? `user/${userName}`
                  : `user/${String(accountId)}/${userName}`
                : typeof accountId === 'string'
                  ? `account/${accountId}`
                  : undefined;
      if (typeof expected === 'string') agree(`envelope ${subjectField}`, subject, expected);
    }
    return problems;
  }
}

let loaded: EventContract | undefined;

/** docs/asyncapi.yaml, loaded and compiled once. */
export function eventContract(): EventContract {
  loaded ??= new EventContract(parse(readFileSync(ASYNCAPI_PATH, 'utf8')));
  return loaded;
}

/** The messages of a topic's channel in docs/asyncapi.yaml. */
export function contractMessages(kind: TopicKind): ContractMessage[] {
  return eventContract().messages(kind);
}

/** What is wrong with `record` as a record of the `kind` topic according to docs/asyncapi.yaml; empty when valid. */
export function validateRecord(kind: TopicKind, record: ContractRecord): string[] {
  return eventContract().validateRecord(kind, record);
}

export interface RecordProblem {
  topic: string;
  partition: number;
  offset: number;
  type: string | undefined;
  problems: string[];
}

/** The records of `records` (all of one topic) that do not match the contract, with what is wrong. */
export function invalidRecords(kind: TopicKind, topic: string, records: RawTopicRecord[]): RecordProblem[] {
  const out: RecordProblem[] = [];
  for (const record of records) {
    const problems = validateRecord(kind, record);
    if (problems.length === 0) continue;
    let type: string | undefined;
    try {
      const parsed: unknown = JSON.parse(record.value ?? 'null');
      if (isObject(parsed) && typeof parsed['type'] === 'string') type = parsed['type'];
    } catch {
      // not JSON: the problems say so
    }
    out.push({ topic, partition: record.partition, offset: record.offset, type, problems });
  }
  return out;
}

const MAX_LISTED = 40;

/**
 * Reads every record of the given topics (those that exist) and throws an Error listing each
 * record that does not match docs/asyncapi.yaml (topic, partition, offset, what is wrong).
 */
export async function assertTopicsMatchContract(topics: Partial<Record<TopicKind, string>>): Promise<void> {
  const checked = await Promise.all(
    (Object.entries(topics) as [TopicKind, string | undefined][])
      .filter((entry): entry is [TopicKind, string] => entry[1] !== undefined)
      .map(async ([kind, topic]) => {
        if (!(await topicExists(topic))) return { count: 0, invalid: [] };
        const records = await readAllRecords(topic);
        return { count: records.length, invalid: invalidRecords(kind, topic, records) };
      }),
  );
  const invalid = checked.flatMap((c) => c.invalid);
  if (invalid.length === 0) return;
  const total = checked.reduce((n, c) => n + c.count, 0);
  const lines = invalid
    .slice(0, MAX_LISTED)
    .map((r) => `  ${r.topic} partition ${r.partition} offset ${r.offset} (${r.type ?? 'no type'}): ${r.problems.join('; ')}`);
  if (invalid.length > MAX_LISTED) lines.push(`  … and ${invalid.length - MAX_LISTED} more`);
  throw new Error(`${invalid.length} of ${total} events do not match docs/asyncapi.yaml:\n${lines.join('\n')}`);
}
