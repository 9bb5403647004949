import { Logger } from '@nestjs/common';
import { PeriodicSweep } from '../metadata/periodic-sweep.js';
import type { ReleasedBlobDocument } from '../metadata/metadata.documents.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';
import { ABANDONED_WRITE_AGE_MS, type BlobStore } from './blob-store.port.js';

const HOUR_MS = 3_600_000;

/** What to do with one released payload: keep waiting, delete its blob, or drop a stale release. */
export type ReleaseVerdict = 'wait' | 'delete' | 'forget';

/**
 * The janitor's whole policy, pure. A release younger than the grace period waits: a
 * point-in-time recovery of the metadata may still point at the payload. An older one is
 * deleted, unless some object still references the payload: a copy shares its source's blob,
 * so one key letting go of a blob does not make it garbage. Then the record is dropped and the
 * blob kept; the release by the last key that references it records it anew.
 */
export function judgeRelease(
  release: Pick<ReleasedBlobDocument, '_id' | 'releasedAt'>,
  stillReferenced: boolean,
  now: Date,
  graceHours: number,
): ReleaseVerdict {
  if (now.getTime() - release.releasedAt.getTime() < graceHours * HOUR_MS) return 'wait';
  return stillReferenced ? 'forget' : 'delete';
}

export interface SweepResult {
  deleted: number;
  forgotten: number;
  failed: number;
  /** Writes that never finished whose remains (temp files, chunks) were deleted. */
  abandoned: number;
}

export interface BlobJanitorOptions {
  graceHours: number;
  intervalMs: number;
  /** Releases read per query; a sweep reads batches until none is due. */
  batchSize?: number;
  now?: () => Date;
  /**
   * False while the read model may be missing events of the log (a projection stopped on a poison
   * event): a blob released or suspected then may be referenced by an event not yet applied, so
   * nothing is deleted until the projection runs again.
   */
  readModelComplete?: () => boolean;
}

/**
 * Deletes payloads that overwrites and deletes released, once they are older than the grace
 * period (SEDIMENT_BLOB_GRACE_HOURS), then forgets their release records. The blob goes first:
 * a crash in between leaves a record whose blob is gone, and the next sweep's delete of a
 * missing blob is a no-op. Sweeps run one at a time, every `intervalMs`, off the request path.
 */
export class BlobJanitor {
  private readonly logger = new Logger('BlobJanitor');
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly periodic: PeriodicSweep;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly options: BlobJanitorOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.now = options.now ?? (() => new Date());
    this.periodic = new PeriodicSweep(options.intervalMs, () => this.sweep(), this.logger);
  }

  /** Schedules sweeps; the first runs one interval after the start, not during the boot. */
  start(): void {
    this.periodic.start();
  }

  /** Stops scheduling and waits for a sweep in progress (it stops between two releases). */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private get stopped(): boolean {
    return this.periodic.stopped;
  }

  /** One pass over the remains of abandoned writes, then over every release that is due now. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { deleted: 0, forgotten: 0, failed: 0, abandoned: 0 };
    // Remains of writes that never finished were never visible, so never referenced: they go
    // whatever the state of the read model.
    try {
      result.abandoned = await this.blobs.sweepAbandonedWrites(new Date(this.now().getTime() - ABANDONED_WRITE_AGE_MS));
      if (result.abandoned > 0) this.logger.log(`deleted the remains of ${result.abandoned} abandoned write(s)`);
    } catch (error) {
      this.logger.warn(`could not sweep abandoned writes: ${(error as Error).message}`);
    }
    if (this.options.readModelComplete && !this.options.readModelComplete()) {
      this.logger.warn('sweep skipped: a projection is stopped, so the read model may not show every reference to a blob');
      return result;
    }
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.options.graceHours * HOUR_MS);
    // Releases this sweep could not settle stay in the collection (the oldest, so at the head of
    // every batch); they are skipped here and retried by the next sweep.
    const skipped = new Set<string>();
    while (!this.stopped) {
      const due = (await this.metadata.releasedBlobsDue(cutoff, this.batchSize + skipped.size)).filter((r) => !skipped.has(r._id));
      for (const release of due) {
        if (this.stopped) break;
        const outcome = await this.settle(release, now);
        if (outcome === 'delete') result.deleted++;
        else if (outcome === 'forget') result.forgotten++;
        else {
          if (outcome === 'failed') result.failed++;
          skipped.add(release._id);
        }
      }
      if (due.length < this.batchSize) break;
    }
    if (result.deleted > 0 || result.forgotten > 0 || result.failed > 0) {
      this.logger.log(`deleted ${result.deleted} released blob(s), dropped ${result.forgotten} stale release(s), ${result.failed} failed`);
    }
    return result;
  }

  /** A failure of one release is logged and left for the next sweep; the others go on. */
  private async settle(release: ReleasedBlobDocument, now: Date): Promise<ReleaseVerdict | 'failed'> {
    try {
      // Only a due release costs the reference query.
      if (judgeRelease(release, false, now, this.options.graceHours) === 'wait') return 'wait';
      const verdict = judgeRelease(release, await this.metadata.isBlobReferenced(release._id), now, this.options.graceHours);
      if (verdict === 'forget') {
        this.logger.log(`release of ${release._id} (${release.bucket}/${release.key}): still referenced by another object, blob kept`);
      } else {
        // A multipart object's id names a manifest: its bytes are the part blobs, deleted first.
        // They need no check of their own: an object sharing them (a copy) shares the manifest id.
        const manifest = await this.metadata.getManifest(release._id);
        if (manifest) {
          for (const part of manifest.partObjectIds) await this.blobs.delete(part);
          await this.metadata.forgetManifest(release._id);
        }
        await this.blobs.delete(release._id).catch((error: unknown) => {
          // No file can carry an id that is not a blob id: there is nothing to delete.
          if ((error as { code?: unknown }).code !== 'ERR_INVALID_BLOB_ID') throw error;
        });
      }
      await this.metadata.forgetReleasedBlob(release._id);
      return verdict;
    } catch (error) {
      this.logger.warn(`could not delete released blob ${release._id}: ${(error as Error).message}`);
      return 'failed';
    }
  }
}
