import type { Provider } from '@nestjs/common';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { MetadataStore } from '../metadata/metadata.store.port.js';
import { LifecycleWorker } from '../objects/lifecycle/lifecycle.worker.js';
import { BucketStreamWriter } from '../write-model/bucket-stream.writer.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

/**
 * The lifecycle worker (ADR 0022): it runs in the process that holds the writer lease, which is
 * every process but a read-only snapshot (the lease is taken at boot, before this, and a second
 * writer is refused). Its appends go through the writer, which refuses them once the lease is lost.
 */
export const lifecycleProviders: Provider[] = [
  {
    provide: LifecycleWorker,
    inject: [MetadataStore, BucketStreamWriter, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: (metadata: MetadataStore, writer: BucketStreamWriter, config: SedimentConfig, opened: OpenedResources) => {
      const worker = new LifecycleWorker(metadata, writer, {
        dayMs: config.SEDIMENT_LIFECYCLE_DAY_SECONDS * 1000,
        intervalMs: config.SEDIMENT_LIFECYCLE_INTERVAL_MS,
      });
      if (!config.SEDIMENT_READ_ONLY) worker.start();
      // Stopped before the writer and the read model close.
      opened.add(() => worker.stop());
      return worker;
    },
  },
];
