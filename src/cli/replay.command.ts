import { parseArgs } from 'node:util';
import type { Collection } from 'mongodb';
import { decodeRecord } from '../event-log/event-envelope.js';
import {
  activeReadModel,
  liveServiceRunning,
  REPLAYS,
  setActiveReadModel,
  switchRequest,
  updateSwitchRequest,
  type ReplayRecord,
} from '../replay/read-model.control.js';
import { digestFromLedger } from '../replay/read-model.digest.js';
import { readLogRange } from '../messaging/bounded-log.reader.js';
import { replayReadModel, type ReplayUntil } from '../replay/replay.engine.js';
import type { CliCommand } from './cli-command.js';
import { openOperatorContext, type OperatorContext } from './operator.context.js';
import { ProgressReporter } from './progress.reporter.js';

const USAGE = `usage: sediment replay [--database <name>] [--until <ISO time | partition:offset>] [--no-switch]

Rebuilds the metadata and identity read models from offset 0 of the log into a new database.
Without --until it is blue/green: the live service keeps serving from the current database, then
switches to the new one once both digests match, without a restart; the old one is kept.
With --until it rebuilds the state as of that moment (point-in-time) and never switches.
Run it again with the same --database to resume an interrupted replay.`;

export const replayCommand: CliCommand = {
  summary: 'rebuild the read model from the log (blue/green, or --until a past moment)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { database: { type: 'string' }, until: { type: 'string' }, 'no-switch': { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const ctx = await openOperatorContext();
    try {
      return await replay(ctx, values.database, values.until, values['no-switch'] === true);
    } finally {
      await ctx.close();
    }
  },
};

async function replay(ctx: OperatorContext, database: string | undefined, untilArg: string | undefined, noSwitch: boolean): Promise<number> {
  const { config, client, home } = ctx;
  const until = untilArg === undefined ? undefined : await resolveUntil(ctx, untilArg);
  const active = await activeReadModel(home);
  const target = database ?? `${config.MONGO_DATABASE}_${until ? 'pit' : 'rm'}_${stamp(new Date())}`;
  if (target === active) {
    console.error(`${target} is the live read model; replay into another database.`);
    return 64;
  }
  console.log(`replaying ${config.SEDIMENT_BUCKET_TOPIC} and ${config.SEDIMENT_IDENTITY_TOPIC} into ${target}` +
    (until ? ` as of ${until.time.toISOString()}` : '') + ` (resume with: sediment replay --database ${target}${untilArg ? ` --until ${untilArg}` : ''})`);

  const replays = home.collection<ReplayRecord>(REPLAYS);
  const record: ReplayRecord = { _id: target, target, status: 'running', done: 0, total: 0, startedAt: new Date(), updatedAt: new Date(), ...(until ? { until: until.time.toISOString() } : {}) };
  await replays.replaceOne({ _id: target }, record, { upsert: true });
  const reporter = new ProgressReporter();
  let lastSaved = 0;
  const result = await replayReadModel({
    kafka: ctx.kafka,
    admin: ctx.admin,
    topics: { bucketTopic: config.SEDIMENT_BUCKET_TOPIC, identityTopic: config.SEDIMENT_IDENTITY_TOPIC, controlTopic: config.SEDIMENT_CONTROL_TOPIC },
    target: client.db(target),
    ...(until ? { until } : {}),
    onProgress: ({ done, total }) => {
      reporter.update(done, total);
      record.done = done;
      record.total = total;
      if (Date.now() - lastSaved > 1000) {
        lastSaved = Date.now();
        void replays.updateOne({ _id: target }, { $set: { done, total, updatedAt: new Date() } }).catch(() => undefined);
      }
    },
  });
  reporter.finish(record.done, record.total);
  // The rebuild's ledger was just computed from its documents: no second pass for the digest.
  const digest = await digestFromLedger(client.db(target), result.ledger);
  console.log(`rebuilt ${result.events} events in ${result.seconds.toFixed(1)} s (${(result.events / Math.max(result.seconds, 0.001)).toFixed(0)} events/s)`);
  console.log(`digest ${digest.digest} ${countsText(digest.counts)}`);
  await replays.updateOne({ _id: target }, { $set: { status: 'built', done: record.done, total: record.total, updatedAt: new Date() } });

  if (until || noSwitch) {
    console.log(`${target} is ready and not live. Serve it read-only with:\n  SEDIMENT_READ_ONLY=true MONGO_DATABASE=${target} SEDIMENT_PORT=9001 node --scavenger-max-new-space-capacity-mb=8 dist/main.js`);
    return 0;
  }
  return switchTo(ctx, target, active, replays);
}

async function switchTo(ctx: OperatorContext, target: string, previous: string, replays: Collection<ReplayRecord>): Promise<number> {
  const { home, config } = ctx;
  if (!(await liveServiceRunning(home, config.SEDIMENT_BUCKET_TOPIC))) {
    await setActiveReadModel(home, target);
    console.log(`no live service: ${target} is now the read model the next start serves from.`);
  } else {
    console.log('asking the live service to switch (it catches up, compares digests, then switches; writes wait meanwhile)…');
    await updateSwitchRequest(home, { _id: 'switch', target, status: 'requested', requestedAt: new Date() });
    const deadline = Date.now() + config.SEDIMENT_SWITCH_TIMEOUT_MS + 60_000;
    for (;;) {
      const request = await switchRequest(home);
      if (request?.status === 'switched') {
        console.log(`switched to ${target}: digest ${request.digest ?? '?'} matched the live model; writes were held ${request.heldWritesMs ?? '?'} ms.`);
        break;
      }
      if (request?.status === 'failed') {
        console.error(`the live service refused the switch: ${request.error ?? 'unknown reason'}; it still serves ${previous}.`);
        await replays.updateOne({ _id: target }, { $set: { status: 'failed', updatedAt: new Date() } });
        return 1;
      }
      if (Date.now() > deadline) {
        console.error('no answer from the live service; is it running this version?');
        return 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await replays.updateOne({ _id: target }, { $set: { status: 'switched', updatedAt: new Date() } });
  console.log(
    previous === config.MONGO_DATABASE
      ? `the previous read model ${previous} is kept; it is the home database (control documents live there), so its collections stay until you drop them yourself.`
      : `the previous read model ${previous} is kept; drop it when you no longer need it:\n  sediment drop-read-model --database ${previous}`,
  );
  return 0;
}

/** `--until` is an ISO time, or `partition:offset` of the bucket topic (that event included). */
async function resolveUntil(ctx: OperatorContext, value: string): Promise<ReplayUntil> {
  const position = /^(\d+):(\d+)$/.exec(value);
  if (!position) {
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) throw new Error(`--until ${value}: not an ISO time or partition:offset`);
    return { time };
  }
  const partition = Number(position[1]);
  const offset = Number(position[2]);
  let time: Date | undefined;
  await readLogRange(
    ctx.kafka,
    ctx.config.SEDIMENT_BUCKET_TOPIC,
    { from: new Map([[partition, offset]]), to: new Map([[partition, offset + 1]]) },
    async (p, messages) => {
      const [message] = messages;
      if (message) time = new Date(decodeRecord(message.value, { partition: p, offset }).envelope.time);
      return { applied: messages.length, stop: true };
    },
  );
  if (!time) throw new Error(`--until ${value}: no such event on ${ctx.config.SEDIMENT_BUCKET_TOPIC}`);
  return { time, position: { partition, offset } };
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name}=${n}`)
    .join(' ');
}
