/**
 * What a boot has opened so far (connections, consumers, the writer lease), so that a boot that
 * fails midway can close it: Nest does not close providers of an application it failed to
 * create, and the caller may live on (tests, an embedding host) — a lease left renewing would
 * lock the topic for good.
 */
export class OpenedResources {
  private readonly closers: Array<() => Promise<unknown>> = [];

  /** Registers how to close something just opened; closed in reverse order. */
  add(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async closeAll(timeoutMs = 5000): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await Promise.race([
        close().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
  }
}

export const OPENED_RESOURCES = Symbol('OPENED_RESOURCES');
