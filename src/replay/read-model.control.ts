import type { Collection, Db } from 'mongodb';

/**
 * Control documents in the home database (MONGO_DATABASE), which never moves: which database
 * holds the live read model, the switch requests of blue/green replays, and replay progress.
 */
export interface ActiveReadModel {
  _id: 'active';
  database: string;
  switchedAt: Date;
  previous?: string;
}

export type SwitchStatus = 'requested' | 'switching' | 'switched' | 'failed';

export interface SwitchRequest {
  _id: 'switch';
  target: string;
  status: SwitchStatus;
  requestedAt: Date;
  finishedAt?: Date;
  error?: string;
  digest?: string;
  /** How long writes were held while the service switched. */
  heldWritesMs?: number;
  /**
   * How the two models were compared: their ledgers (ADR 0014), or read whole when a ledger was
   * not exact (writes then wait longer).
   */
  verifiedBy?: 'ledgers' | 'whole models';
}

export interface ReplayRecord {
  _id: string;
  target: string;
  status: 'running' | 'built' | 'switched' | 'failed';
  done: number;
  total: number;
  startedAt: Date;
  updatedAt: Date;
  until?: string;
}

type ControlDocument = ActiveReadModel | SwitchRequest;

export const READ_MODEL_CONTROL = 'read_model';
export const REPLAYS = 'replays';

export function controlCollection(home: Db): Collection<ControlDocument> {
  return home.collection<ControlDocument>(READ_MODEL_CONTROL);
}

/** The database the live read model is in: the home database until a replay switched it. */
export async function activeReadModel(home: Db): Promise<string> {
  const doc = (await controlCollection(home).findOne({ _id: 'active' })) as ActiveReadModel | null;
  return doc?.database ?? home.databaseName;
}

export async function setActiveReadModel(home: Db, database: string): Promise<void> {
  const previous = await activeReadModel(home);
  await controlCollection(home).replaceOne(
    { _id: 'active' },
    { _id: 'active', database, switchedAt: new Date(), previous },
    { upsert: true },
  );
}

export async function switchRequest(home: Db): Promise<SwitchRequest | null> {
  return (await controlCollection(home).findOne({ _id: 'switch' })) as SwitchRequest | null;
}

export async function updateSwitchRequest(home: Db, request: SwitchRequest): Promise<void> {
  await controlCollection(home).replaceOne({ _id: 'switch' }, request, { upsert: true });
}

/** Whether a live service holds the writer lease of the bucket topic (ADR 0001). */
export async function liveServiceRunning(home: Db, bucketTopic: string): Promise<boolean> {
  const lease = await home.collection<{ _id: string; expiresAt: Date }>('writer_leases').findOne({ _id: bucketTopic });
  return lease !== null && lease.expiresAt.getTime() > Date.now();
}
