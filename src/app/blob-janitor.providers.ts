import type { Provider } from '@nestjs/common';
import { BlobJanitor } from '../blobs/blob-janitor.js';
import { BlobStore } from '../blobs/blob-store.port.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { MetadataStore } from '../metadata/metadata.store.port.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { BucketStreamWriter } from '../write-model/bucket-stream.writer.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

/**
 * The blob janitor: deletes payloads released longer than SEDIMENT_BLOB_GRACE_HOURS ago. It
 * needs only the read model and the blob store; ShutdownService stops it before they close.
 */
export const blobJanitorProviders: Provider[] = [
  {
    provide: BlobJanitor,
    // The writer is injected only so the janitor starts once the read model has caught up with
    // the log: copies share blobs, and while a rebuilt read model lags behind, an old release
    // may not yet see the copy that still references its blob.
    inject: [MetadataStore, BlobStore, SEDIMENT_CONFIG, OPENED_RESOURCES, BucketStreamWriter, ProjectionProgress],
    useFactory: (
      metadata: MetadataStore,
      blobs: BlobStore,
      config: SedimentConfig,
      opened: OpenedResources,
      _caughtUp: BucketStreamWriter,
      progress: ProjectionProgress,
    ) => {
      const janitor = new BlobJanitor(metadata, blobs, {
        graceHours: config.SEDIMENT_BLOB_GRACE_HOURS,
        intervalMs: config.SEDIMENT_BLOB_JANITOR_INTERVAL_MS,
        readModelComplete: () => progress.stoppedBy === null && progress.stoppedPartitions().length === 0,
      });
      // A read-only snapshot (point-in-time rebuild) changes nothing, blobs included; the live
      // service's janitor owns the blob directory.
      if (!config.SEDIMENT_READ_ONLY) janitor.start();
      // A boot that fails after this point must not leave sweeps running in the caller's process.
      opened.add(() => janitor.stop());
      return janitor;
    },
  },
];
