import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What a client saw for one S3 call: the HTTP status and, for a failure, the S3 error code. */
export interface S3Outcome<T> {
  status: number | undefined;
  /** S3 error code (the SDK's error name); undefined on success. */
  code?: string;
  value?: T;
  error?: unknown;
}

/** Settles an SDK call into its HTTP outcome instead of throwing. */
export async function outcomeOf<T extends { $metadata?: { httpStatusCode?: number } }>(call: Promise<T>): Promise<S3Outcome<T>> {
  try {
    const value = await call;
    return { status: value.$metadata?.httpStatusCode, value };
  } catch (error) {
    const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { status: e.$metadata?.httpStatusCode, code: e.Code ?? e.name, error };
  }
}

/** Every regular file below `dir` (relative paths); [] when the directory does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Polls `probe` until it returns true or `timeoutMs` passes; returns the last result. */
export async function pollUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls `probe` until it returns true; throws with `what` after `timeoutMs`. Not a timing assertion. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  if (!(await pollUntil(probe, timeoutMs, 20))) throw new Error(`timed out waiting until ${what}`);
}

/** p-th percentile (0–100) of a sample, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
