import { BUCKET_METADATA_PROJECTION } from '../metadata/read-model-mutations.js';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { KafkaMessage } from 'kafkajs';
import { rootPrincipal } from '../event-log/principal.js';
import { KafkaEventLog } from '../messaging/kafka-event.log.js';
import { ensureTopic } from '../messaging/topics.js';
import { MongoMetadataStore } from '../metadata/mongo-metadata.store.js';
import { IDENTITY_PROJECTION } from '../projections/identity/identity.projection.js';
import { readDecisions } from '../quarantine/control-log.js';
import { encodeControlEnvelope, quarantineEnvelope, reasonProblem } from '../quarantine/quarantine.events.js';
import { decisionMatches, valueSha256 } from '../quarantine/quarantine-list.js';
import { QuarantinedEvents } from '../quarantine/quarantined-events.store.js';
import { activeReadModel, liveServiceRunning } from '../replay/read-model.control.js';
import type { CliCommand } from './cli-command.js';
import { answeredUsage, checkPosition, describeRecord, fetchRecord, parseRecordArgs, usageExit, verdictFor, type RecordArgs } from './inspect-event.command.js';
import { openOperatorContext, type OperatorContext } from './operator.context.js';

const USAGE = `usage: sediment quarantine-event --topic <topic> --partition <n> --offset <n> --reason "<why>"

Records on the control topic (SEDIMENT_CONTROL_TOPIC) the decision that one record of the bucket
or identity topic is not applied: the way past a poison event a stopped partition names (in its
log line, /health and the 503 answers). Nothing is lost: the record stays in the log, the live
service keeps a copy in the read model's quarantined_events collection and its partition goes on
after the record without a restart; every later replay reads the decision first and skips the
same record. Refused for a record the live read model has already applied. Look at it first with
sediment inspect-event.`;

const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_NOINPUT = 66;
/** How long to wait for a live service to confirm it skipped the record. */
const CONFIRM_TIMEOUT_MS = 30_000;

export function parseQuarantineArgs(args: string[]): RecordArgs<'reason'> {
  const parsed = parseRecordArgs(args, ['reason']);
  if ('help' in parsed || 'error' in parsed) return parsed;
  if (parsed.reason === undefined) return { error: '--reason is required: say why, for whoever reads the log later' };
  const problem = reasonProblem(parsed.reason);
  return problem ? { error: `--reason: ${problem}` } : parsed;
}

export const quarantineEventCommand: CliCommand = {
  summary: 'skip one record of the log everywhere (live and in replays), keeping it',
  async run(args) {
    const parsed = parseQuarantineArgs(args);
    if (answeredUsage(parsed, USAGE)) return usageExit(parsed);
    const ctx = await openOperatorContext();
    try {
      return await quarantine(ctx, { ...parsed, reason: parsed.reason! });
    } finally {
      await ctx.close();
    }
  },
};

async function quarantine(ctx: OperatorContext, target: { topic: string; partition: number; offset: number; reason: string }): Promise<number> {
  const { config, kafka, admin, client, home } = ctx;
  const { topic, partition, offset, reason } = target;
  const projection = { [config.SEDIMENT_BUCKET_TOPIC]: BUCKET_METADATA_PROJECTION, [config.SEDIMENT_IDENTITY_TOPIC]: IDENTITY_PROJECTION }[topic];
  if (!projection) {
    console.error(`${topic} is neither SEDIMENT_BUCKET_TOPIC (${config.SEDIMENT_BUCKET_TOPIC}) nor SEDIMENT_IDENTITY_TOPIC (${config.SEDIMENT_IDENTITY_TOPIC}): nothing reads it`);
    return EX_USAGE;
  }
  const missing = await checkPosition(admin, topic, partition, offset);
  if (missing) {
    console.error(missing);
    return EX_NOINPUT;
  }
  const message = await fetchRecord(kafka, admin, topic, partition, offset);
  if (!message) {
    console.error(`${topic} partition ${partition} holds no record at offset ${offset} (a gap in the log).`);
    return EX_NOINPUT;
  }
  console.log(describeRecord({ topic, partition, message }, verdictFor(config, topic, partition, message)));

  const existing = (await readDecisions(kafka, admin, config.SEDIMENT_CONTROL_TOPIC)).find(topic, partition, offset);
  if (existing && decisionMatches(existing, message.value)) {
    console.log(`already quarantined by decision ${existing.decisionId} (${existing.decidedAt}): ${existing.reason}`);
    return 0;
  }
  const live = await activeReadModel(home);
  const applied = (await new MongoMetadataStore(client.db(live)).loadCheckpoints(projection, topic)).get(partition) ?? -1;
  if (applied >= offset) {
    console.error(
      `the live read model (${live}) has already applied ${topic} partition ${partition} up to offset ${applied}: ` +
        'skipping this record now would make every replay differ from it. Nothing was recorded.',
    );
    return EX_DATAERR;
  }

  const decision = await record(ctx, { topic, partition, offset, reason, valueSha256: valueSha256(message.value), operator: operator() });
  console.log(`recorded decision ${decision.id} at offset ${decision.at} of ${config.SEDIMENT_CONTROL_TOPIC}`);
  console.log(await confirmation(ctx, live, target, message));
  return 0;
}

async function record(ctx: OperatorContext, data: Parameters<typeof quarantineEnvelope>[0]): Promise<{ id: string; at: number }> {
  const { config, kafka, admin } = ctx;
  await ensureTopic(admin, {
    topic: config.SEDIMENT_CONTROL_TOPIC,
    partitions: 1,
    replicationFactor: config.SEDIMENT_TOPIC_REPLICATION_FACTOR,
    minInsyncReplicas: config.SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS,
  });
  const env = quarantineEnvelope(data, randomUUID(), new Date(), rootPrincipal(config.SEDIMENT_ROOT_ACCESS_KEY_ID));
  const log = new KafkaEventLog(kafka, admin, config.SEDIMENT_CONTROL_TOPIC, 1);
  await log.connect();
  try {
    const [position] = await log.appendRecords([encodeControlEnvelope(env)]);
    return { id: env.id, at: position!.offset };
  } finally {
    await log.disconnect();
  }
}

/** Whether the live service (if one runs) took the decision: it keeps the copy when it skips. */
async function confirmation(
  ctx: OperatorContext,
  database: string,
  { topic, partition, offset }: { topic: string; partition: number; offset: number },
  message: KafkaMessage,
): Promise<string> {
  if (!(await liveServiceRunning(ctx.home, ctx.config.SEDIMENT_BUCKET_TOPIC))) {
    return `no live service: the next start skips the record (offset ${message.offset}) and keeps its copy in quarantined_events.`;
  }
  const kept = new QuarantinedEvents(ctx.client.db(database));
  const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await kept.find(topic, partition, offset)) {
      return `the live service skipped it: partition ${partition} of ${topic} goes on after offset ${offset}; the record's copy is in ${database}.quarantined_events.`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return (
    `the live service has not skipped it within ${CONFIRM_TIMEOUT_MS / 1000} s: it does once its partition reaches offset ${offset}. ` +
    'If /health names another offset, that is the record to quarantine.'
  );
}

function operator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): the host still says where it came from
  }
  return `${user}@${hostname()}`;
}
