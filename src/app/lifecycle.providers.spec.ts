import { jest } from '@jest/globals';
import type { FactoryProvider } from '@nestjs/common';
import { loadConfig } from '../config/sediment.config.js';
import { LifecycleWorker } from '../objects/lifecycle/lifecycle.worker.js';
import { InMemoryMetadataStore } from '../../test/support/in-memory-metadata.store.js';
import { inMemoryBucketStream } from '../../test/support/in-memory-bucket-stream.js';
import { lifecycleProviders } from './lifecycle.providers.js';
import { OpenedResources } from './opened-resources.js';

const ENV = {
  SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTROOTKEY00001',
  SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'x'.repeat(40),
  SEDIMENT_MASTER_KEY: 'ab'.repeat(32),
};

describe('the lifecycle worker’s provider', () => {
  it.each([
    ['the writer', 'false', 1],
    ['a read-only snapshot', 'true', 0],
  ])('starts the worker in %s (SEDIMENT_READ_ONLY=%s) and stops it with the other resources', async (_label, readOnly, starts) => {
    const start = jest.spyOn(LifecycleWorker.prototype, 'start').mockImplementation(() => undefined);
    const stop = jest.spyOn(LifecycleWorker.prototype, 'stop').mockResolvedValue(undefined);
    try {
      const { writer } = await inMemoryBucketStream();
      const opened = new OpenedResources();
      const factory = (lifecycleProviders[0] as FactoryProvider).useFactory as (...args: unknown[]) => LifecycleWorker;
      factory(new InMemoryMetadataStore(), writer, loadConfig({ ...ENV, SEDIMENT_READ_ONLY: readOnly }), opened);
      expect(start).toHaveBeenCalledTimes(starts);
      await opened.closeAll();
      expect(stop).toHaveBeenCalledTimes(1);
    } finally {
      start.mockRestore();
      stop.mockRestore();
    }
  });
});
