// The blob store contract on the filesystem adapter, in a temp directory; "another node" is a
// second store on the same directory, as on a shared mount (NFS, CephFS, EFS: ADR 0028).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBlobStore } from '../../src/blobs/filesystem-blob.store.js';
import { blobStoreContract } from '../support/blob-store-contract.js';

let root = '';

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

blobStoreContract(
  'FilesystemBlobStore',
  async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-contract-'));
    const node = async () => {
      const store = new FilesystemBlobStore(root);
      await store.init();
      return store;
    };
    return {
      store: await node(),
      otherNode: node,
      async leaveCrashedWrite(ageMs) {
        const path = join(root, 'tmp', `${randomUUID()}.tmp`);
        await writeFile(path, 'half an upload');
        const then = new Date(Date.now() - ageMs);
        await utimes(path, then, then);
      },
      remains: async () => (await readdir(join(root, 'tmp'))).length,
      visibleBlobs: () => countFiles(join(root, 'objects')),
    };
  },
  () => rm(root, { recursive: true, force: true }),
);
