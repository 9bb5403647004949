import { Logger } from '@nestjs/common';
import { PeriodicSweep } from '../../metadata/periodic-sweep.js';
import {
  decideLifecycleAction,
  planKeyExpirations,
  uploadAbortDue,
  type LifecycleAction,
  type ScannedVersion,
} from '../../bucket-stream/lifecycle-expiration.decider.js';
import type { BucketLifecycleConfiguration } from '../../bucket-stream/lifecycle-configuration.js';
import { newVersionId } from '../../bucket-stream/object-version.js';
import { isS3Error } from '../../errors/s3.error.js';
import { LIFECYCLE_PRINCIPAL } from '../../event-log/principal.js';
import type { BucketDocument, VersionDocument } from '../../metadata/metadata.documents.js';
import type { MetadataStore, VersionCursor } from '../../metadata/metadata.store.port.js';
import type { BucketStreamWriter } from '../../write-model/bucket-stream.writer.js';

export interface LifecycleWorkerOptions {
  /** The length of a lifecycle day (SEDIMENT_LIFECYCLE_DAY_SECONDS × 1000). */
  dayMs: number;
  /** Between the end of one sweep and the start of the next (SEDIMENT_LIFECYCLE_INTERVAL_MS). */
  intervalMs: number;
  /** Documents read per query: buckets, versions, uploads. */
  pageSize?: number;
  /** The clock every decision reads its `now` from. */
  now?: () => Date;
}

export interface LifecycleSweepResult {
  /** Events recorded (expiries and aborts). */
  recorded: number;
  /** Actions found due at the scan that the decision found no longer due (the key changed since). */
  skipped: number;
  failed: number;
}

/**
 * Applies the buckets' lifecycle rules (ADR 0022). A sweep pages through the buckets that have a
 * configuration, then through each one's versions and uploads by `_id` ranges, a bounded page at
 * a time, and finds what is due (planKeyExpirations, a pure function of the rules, the versions
 * and the clock). Each action is then decided by the bucket's single writer like a user's
 * DeleteObject or AbortMultipartUpload: under the key's lock, against the authoritative state,
 * re-checking the rule (decideLifecycleAction), recorded as the same events and attributed to
 * LIFECYCLE_PRINCIPAL. Only the writer runs it; a replay folds its events and never runs it.
 */
export class LifecycleWorker {
  private readonly logger = new Logger('LifecycleWorker');
  private readonly pageSize: number;
  private readonly now: () => Date;
  private readonly periodic: PeriodicSweep;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly writer: BucketStreamWriter,
    private readonly options: LifecycleWorkerOptions,
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.now = options.now ?? (() => new Date());
    this.periodic = new PeriodicSweep(options.intervalMs, () => this.sweep(), this.logger);
  }

  /** Schedules sweeps; the first runs one interval after the start, not during the boot. */
  start(): void {
    this.periodic.start();
  }

  /** Stops scheduling and waits for a sweep in progress (it stops between two actions). */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private get stopped(): boolean {
    return this.periodic.stopped;
  }

  /** One pass over every bucket with a lifecycle configuration. */
  async sweep(): Promise<LifecycleSweepResult> {
    const result: LifecycleSweepResult = { recorded: 0, skipped: 0, failed: 0 };
    let after: string | undefined;
    while (!this.stopped) {
      const buckets = await this.metadata.listLifecycleBuckets(after, this.pageSize);
      for (const bucket of buckets) {
        if (this.stopped) break;
        await this.sweepBucket(bucket, result);
      }
      if (buckets.length < this.pageSize) break;
      after = buckets[buckets.length - 1]!._id;
    }
    if (result.recorded > 0 || result.failed > 0) {
      this.logger.log(`recorded ${result.recorded} lifecycle event(s); ${result.skipped} action(s) no longer due, ${result.failed} failed`);
    }
    return result;
  }

  private async sweepBucket(bucket: BucketDocument, result: LifecycleSweepResult): Promise<void> {
    const configuration = bucket.lifecycle!;
    const enabled = configuration.rules.filter((r) => r.status === 'Enabled');
    const apply = (action: LifecycleAction) => this.apply(bucket, action, result);
    if (enabled.some((r) => r.expiration || r.noncurrentVersionExpiration)) {
      const prefix = commonPrefix(enabled.filter((r) => r.expiration || r.noncurrentVersionExpiration).map((r) => r.filter.prefix ?? ''));
      await this.scanVersions(bucket._id, prefix, async (versions) => {
        for (const action of planKeyExpirations(configuration, versions, this.now(), this.options.dayMs)) await apply(action);
      });
    }
    if (enabled.some((r) => r.abortIncompleteMultipartUpload)) await this.scanUploads(bucket._id, configuration, apply);
  }

  /**
   * Calls `onKey` with each key's versions, newest first, reading `versions` one `_id` range page
   * at a time. A key's versions may span pages: they are handed over once the next key starts.
   */
  private async scanVersions(bucket: string, prefix: string, onKey: (versions: ScannedVersion[]) => Promise<void>): Promise<void> {
    let cursor: VersionCursor | undefined;
    let group: ScannedVersion[] = [];
    while (!this.stopped) {
      const page = await this.metadata.listVersions(bucket, { prefix, ...(cursor ? { after: cursor } : {}), limit: this.pageSize });
      for (const doc of page) {
        if (group.length > 0 && group[0]!.key !== doc.key) {
          await onKey(group);
          group = [];
        }
        group.push(scanned(doc));
      }
      if (page.length < this.pageSize) break;
      const last = page[page.length - 1]!;
      cursor = { key: last.key, seq: last.seq };
    }
    if (group.length > 0 && !this.stopped) await onKey(group);
  }

  private async scanUploads(bucket: string, configuration: BucketLifecycleConfiguration, apply: (action: LifecycleAction) => Promise<void>): Promise<void> {
    let after: string | undefined;
    while (!this.stopped) {
      const page = await this.metadata.listUploadsPage(bucket, after, this.pageSize);
      for (const upload of page) {
        const ruleId = uploadAbortDue(configuration, upload, this.now(), this.options.dayMs);
        if (ruleId !== undefined) await apply({ kind: 'abortUpload', key: upload.key, ruleId, uploadId: upload._id, initiatedAt: upload.initiatedAt });
      }
      if (page.length < this.pageSize) break;
      after = page[page.length - 1]!._id;
    }
  }

  /** Decides one action through the writer, as a user's command is; a failure is logged and left for the next sweep. */
  private async apply(bucket: BucketDocument, action: LifecycleAction, result: LifecycleSweepResult): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    try {
      const outcome = await this.writer.execute({
        bucket: bucket._id,
        key: action.key,
        ...(action.kind === 'abortUpload' ? { uploadId: action.uploadId } : { allVersions: true }),
        principal: LIFECYCLE_PRINCIPAL,
        now,
        decide: (state) =>
          decideLifecycleAction(
            {
              type: 'ApplyLifecycleAction',
              data: { bucket: bucket._id, action, owner: bucket.owner, ownerDisplayName: bucket.ownerDisplayName },
              metadata: { now, dayMs: this.options.dayMs, newVersionId: newVersionId() },
            },
            state,
          ),
      });
      if (outcome.outcome === 'rejected') throw outcome.error;
      if (outcome.envelopes.length === 0) result.skipped++;
      result.recorded += outcome.envelopes.length;
    } catch (error) {
      // Not the writer any more (the lease was lost) or the read model is being switched: every
      // other action would fail the same way, so the sweep stops and the next one retries.
      if (isS3Error(error) && error.code === 'ServiceUnavailable') throw error;
      result.failed++;
      this.logger.warn(`lifecycle ${action.kind} of ${bucket._id}/${action.key} (rule ${action.ruleId}) failed: ${(error as Error).message}`);
    }
  }
}

function scanned(doc: VersionDocument): ScannedVersion {
  return doc.isDeleteMarker
    ? { key: doc.key, versionId: doc.versionId, isDeleteMarker: true, lastModified: doc.lastModified }
    : {
        key: doc.key,
        versionId: doc.versionId,
        isDeleteMarker: false,
        objectId: doc.objectId,
        size: doc.size,
        ...(doc.tags ? { tags: doc.tags } : {}),
        lastModified: doc.lastModified,
      };
}

/** The longest prefix of all of them: one range scan covers every rule's keys. */
export function commonPrefix(prefixes: readonly string[]): string {
  if (prefixes.length === 0) return '';
  let common = prefixes[0]!;
  for (const prefix of prefixes) {
    while (!prefix.startsWith(common)) common = common.slice(0, -1);
  }
  // A prefix cut inside a surrogate pair would match nothing it should.
  return /[\uD800-\uDBFF]$/.test(common) ? common.slice(0, -1) : common;
}
