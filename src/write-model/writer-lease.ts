import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { S3Error } from '../errors/s3.error.js';

interface LeaseDocument {
  _id: string;
  owner: string;
  host: string;
  expiresAt: Date;
}

export class LeaseHeldError extends Error {}

const DUPLICATE_KEY = 11000;

/**
 * Only one Sediment process may write a topic (ADR 0001). A time-bound lease in the read model
 * makes a second one refuse to start instead of racing the first; the holder renews it, and a
 * holder that lost it (e.g. stalled past expiry) stops accepting writes. A lease is a safety
 * net, not fencing: true fencing comes with per-partition transactional producers.
 */
export class WriterLease {
  private readonly logger = new Logger('WriterLease');
  private readonly leases: Collection<LeaseDocument>;
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  /** Until when this process may write; moved forward by each successful renewal. */
  private validUntil = 0;

  constructor(
    db: Db,
    private readonly topic: string,
    private readonly host: string,
    private readonly ttlMs = 15_000,
  ) {
    this.leases = db.collection<LeaseDocument>('writer_leases');
  }

  /**
   * Takes the lease, waiting out one that a crashed process left behind (it expires because
   * nobody renews it); throws LeaseHeldError when a live process keeps renewing it.
   */
  async acquire(): Promise<void> {
    const deadline = Date.now() + this.ttlMs + 2000;
    for (;;) {
      try {
        await this.tryAcquire(new Date());
        return;
      } catch (error) {
        if (!(error instanceof LeaseHeldError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  async tryAcquire(now: Date): Promise<void> {
    const current = await this.leases.findOne({ _id: this.topic });
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    if (!current) {
      try {
        await this.leases.insertOne({ _id: this.topic, owner: this.owner, host: this.host, expiresAt });
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw this.heldBy('another process');
        throw error;
      }
    } else {
      if (current.owner !== this.owner && current.expiresAt > now) throw this.heldBy(current.host, current.expiresAt);
      // Compare-and-set on the previous holder, so two processes taking an expired lease cannot both win.
      const taken = await this.leases.updateOne(
        { _id: this.topic, owner: current.owner, expiresAt: current.expiresAt },
        { $set: { owner: this.owner, host: this.host, expiresAt } },
      );
      if (taken.modifiedCount !== 1) throw this.heldBy('another process');
    }
    this.validUntil = expiresAt.getTime();
    this.timer = setInterval(() => void this.renew(), this.ttlMs / 3);
    this.timer.unref();
  }

  /** Throws 503 when this process no longer holds the lease; called before every append. */
  assertHeld(): void {
    if (Date.now() >= this.validUntil) throw new S3Error('ServiceUnavailable', { message: 'This node is not the writer of the event log.' });
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.validUntil === 0) return;
    this.validUntil = 0;
    await this.leases.deleteOne({ _id: this.topic, owner: this.owner });
  }

  private async renew(): Promise<void> {
    try {
      const expiresAt = new Date(Date.now() + this.ttlMs);
      const renewed = await this.leases.updateOne({ _id: this.topic, owner: this.owner }, { $set: { expiresAt } });
      if (renewed.matchedCount === 1) {
        this.validUntil = expiresAt.getTime();
      } else {
        this.validUntil = 0;
        this.logger.error(`lost the writer lease of ${this.topic}; refusing writes`);
      }
    } catch (error) {
      // Not renewed: the lease runs out at validUntil, and writes stop then.
      this.logger.warn(`could not renew the writer lease: ${(error as Error).message}`);
    }
  }

  private heldBy(host: string, until?: Date): LeaseHeldError {
    return new LeaseHeldError(
      `Another Sediment process (${host}) is the writer of topic ${this.topic}` +
        (until ? ` until ${until.toISOString()} unless it renews` : '') +
        '. Only one writer per topic is supported (docs/adr/0001).',
    );
  }
}
