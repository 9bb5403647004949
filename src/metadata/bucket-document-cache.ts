import type { BucketDocument } from './metadata.documents.js';

/**
 * The bucket documents this process read lately, so a PutObject's decision and a GetObject's
 * answer need one database command instead of two (ADR 0030). Coherent because this process's
 * projection is the only writer of its read model (ADR 0001's writer lease) and every write of
 * a bucket document goes through its store's applyMutation(s), which call `invalidate()` before
 * writing and again once written: whatever was cached is dropped, and a read that was in flight
 * across either call is not kept (its generation changed), so it cannot bring an older document
 * back. A writer answers only after the projection applied its event, hence after the second
 * call: read-after-write holds for everyone. Only documents found are kept; an absent bucket is
 * read each time.
 */
export class BucketDocumentCache {
  private readonly docs = new Map<string, BucketDocument>();
  private generation = 0;

  constructor(private readonly capacity = 4096) {}

  /** A copy of the cached document (callers may change what they get), or the read's, kept unless a write intervened. */
  async get(name: string, read: (name: string) => Promise<BucketDocument | null>): Promise<BucketDocument | null> {
    const cached = this.docs.get(name);
    if (cached) return structuredClone(cached);
    const started = this.generation;
    const doc = await read(name);
    if (doc && this.generation === started) {
      if (this.docs.size >= this.capacity) this.docs.clear();
      this.docs.set(name, structuredClone(doc));
    }
    return doc;
  }

  /** Before and after every write of a bucket document: drops everything, and every read in flight is not kept. */
  invalidate(): void {
    this.generation++;
    this.docs.clear();
  }

  /** How many documents are kept (for specs). */
  get size(): number {
    return this.docs.size;
  }
}
