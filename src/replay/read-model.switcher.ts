import { BUCKET_METADATA_PROJECTION } from '../metadata/read-model-mutations.js';
import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import type { IdentityStore } from '../metadata/identity.store.port.js';
import { MongoIdentityStore } from '../metadata/mongo-identity.store.js';
import { MongoMetadataStore } from '../metadata/mongo-metadata.store.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';
import type { ProjectionProgress } from '../projections/projection-progress.js';
import type { WriteGate } from '../write-model/write-gate.js';
import { setActiveReadModel, switchRequest, updateSwitchRequest, type SwitchRequest } from './read-model.control.js';
import { digestFromLedger, digestReadModel } from './read-model.digest.js';
import { endOffsets, replayReadModel, type ReplayTopics } from './replay.engine.js';
import type { Switchable } from './switchable.js';

/** At most this many catch-up rounds before writes are held. */
const APPROACH_ROUNDS = 5;
/** A round that applied no more than this leaves a tail short enough to apply with writes held. */
const SHORT_TAIL = 500;

export interface SwitcherDeps {
  client: MongoClient;
  home: Db;
  kafka: Kafka;
  admin: Admin;
  topics: ReplayTopics;
  metadata: Switchable<MetadataStore>;
  identities: Switchable<IdentityStore>;
  bucketProgress: ProjectionProgress;
  identityProgress: ProjectionProgress;
  gate: WriteGate;
  /** The database the live read model was in at boot. */
  liveDatabase: string;
  /** How long the switch may hold writes before it gives up (they then proceed on the old model). */
  timeoutMs: number;
}

/**
 * The live half of a blue/green replay. The `sediment replay` command builds a new read model
 * while this service serves from the current one, then asks for the switch through a control
 * document; this service notices it within a second and, without a restart:
 * holds new writes (reads go on), waits until its projections have applied the whole log,
 * catches the new model up to the same log end, checks both digests are equal, and only then
 * moves every reader and projector to the new database and lets writes through again.
 * A mismatch or an error leaves everything on the old model.
 */
export class ReadModelSwitcher {
  private readonly logger = new Logger('ReadModelSwitcher');
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private live: string;

  constructor(private readonly deps: SwitcherDeps) {
    this.live = deps.liveDatabase;
  }

  get liveDatabase(): string {
    return this.live;
  }

  start(pollMs = 1000): void {
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Nest calls this on shutdown: no poll may run against a closed client. */
  onApplicationShutdown(): void {
    this.stop();
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const request = await switchRequest(this.deps.home);
      if (request?.status === 'requested') await this.perform(request);
    } catch (error) {
      this.logger.warn(`switch poll failed: ${(error as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  async perform(request: SwitchRequest): Promise<void> {
    const { deps } = this;
    await updateSwitchRequest(deps.home, { ...request, status: 'switching' });
    const target = deps.client.db(request.target);
    // Writes go on while the new model follows the log to within a few events of its end.
    try {
      await withTimeout(this.approach(target), deps.timeoutMs);
    } catch (error) {
      await this.fail(request, error);
      return;
    }
    const held = Date.now();
    await deps.gate.close();
    try {
      await withTimeout(this.catchUpAndVerify(target, request), deps.timeoutMs);
      // Made once the catch-up wrote the last of it: its bucket cache starts empty (ADR 0030).
      const store = new MongoMetadataStore(target, { cacheBuckets: true });
      // Its ledger, as the catch-up saved it with the checkpoints, goes on from here.
      await store.loadCheckpoints(BUCKET_METADATA_PROJECTION, deps.topics.bucketTopic);
      deps.metadata.use(store);
      deps.identities.use(new MongoIdentityStore(target));
      await setActiveReadModel(deps.home, request.target);
      this.live = request.target;
      const heldWritesMs = Date.now() - held;
      await updateSwitchRequest(deps.home, { ...request, status: 'switched', finishedAt: new Date(), heldWritesMs });
      this.logger.log(`read model switched to ${request.target} (writes held ${heldWritesMs} ms)`);
    } catch (error) {
      await this.fail(request, error);
    } finally {
      deps.gate.open();
    }
  }

  private async fail(request: SwitchRequest, error: unknown): Promise<void> {
    const message = (error as Error).message;
    this.logger.error(`read model switch to ${request.target} failed: ${message}`);
    await updateSwitchRequest(this.deps.home, { ...request, status: 'failed', finishedAt: new Date(), error: message });
  }

  /**
   * Catches the new model up while writes go on, until a round finds few events left: the rounds
   * shrink as the log's growth is outrun, so holding writes afterwards only waits for a tail.
   */
  private async approach(target: Db): Promise<void> {
    for (let round = 0; round < APPROACH_ROUNDS; round++) {
      const { events } = await replayReadModel({ kafka: this.deps.kafka, admin: this.deps.admin, topics: this.deps.topics, target });
      if (events <= SHORT_TAIL) return;
    }
  }

  private async catchUpAndVerify(target: Db, request: SwitchRequest): Promise<void> {
    const { deps } = this;
    // With writes held the log is still; wait until the live projections applied all of it.
    for (const [topic, progress] of [
      [deps.topics.bucketTopic, deps.bucketProgress],
      [deps.topics.identityTopic, deps.identityProgress],
    ] as const) {
      for (const [partition, end] of await endOffsets(deps.admin, topic)) {
        if (end > 0) await progress.waitFor(partition, end - 1, deps.timeoutMs);
      }
    }
    const { ledger } = await replayReadModel({ kafka: deps.kafka, admin: deps.admin, topics: deps.topics, target });
    const liveLedger = (deps.metadata.current as MongoMetadataStore).ledger;
    const liveDb = deps.client.db(this.live);
    // Both ledgers exact: two sums compared, in no time whatever the models' size (ADR 0014).
    // Otherwise (a model built before ledgers, or a record applied twice after a crash) read both.
    const exact = liveLedger?.clean === true && ledger.clean;
    if (!exact) this.logger.warn('a ledger is not exact: digesting both read models whole while writes wait');
    request.verifiedBy = exact ? 'ledgers' : 'whole models';
    const live = exact ? await digestFromLedger(liveDb, liveLedger) : await digestReadModel(liveDb);
    const rebuilt = exact ? await digestFromLedger(target, ledger) : await digestReadModel(target);
    if (live.digest !== rebuilt.digest) {
      throw new Error(`digest mismatch: live ${live.digest} ${JSON.stringify(live.counts)}, rebuilt ${rebuilt.digest} ${JSON.stringify(rebuilt.counts)}`);
    }
    request.digest = rebuilt.digest;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the switch took longer than ${ms} ms; writes resumed on the old model`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
