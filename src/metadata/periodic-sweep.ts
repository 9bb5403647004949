import type { Logger } from '@nestjs/common';

/**
 * Runs a background sweep of the read model every `intervalMs`, one at a time, off the request
 * path: the first one interval after `start` (never during the boot), the next one interval after
 * the previous ends. A failed sweep is logged and retried at the next interval. A pending sweep
 * never keeps the process alive. The blob janitor and the lifecycle worker run on it.
 */
export class PeriodicSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stoppedFlag = false;

  constructor(
    private readonly intervalMs: number,
    private readonly sweep: () => Promise<unknown>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Whether `stop` was called: a sweep in progress checks this between two actions. */
  get stopped(): boolean {
    return this.stoppedFlag;
  }

  start(): void {
    if (this.stoppedFlag || this.timer) return;
    this.schedule();
  }

  /** Stops scheduling and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.stoppedFlag = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn(`sweep failed, retrying in ${this.intervalMs} ms: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stoppedFlag) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
