/**
 * What a boot has opened so far (connections, consumers, the writer lease), so that a boot that
 * fails midway can close it: Nest does not close providers of an application it failed to
 * create, and the caller may live on (tests, an embedding host) — a lease left renewing would
 * lock the topic for good.
 */
export class OpenedResources {
  private readonly closers: Array<() => Promise<unknown>> = [];
  private closed = false;

  /**
   * Registers how to close something just opened; closed in reverse order. Nest builds providers
   * concurrently, so a factory may finish after a sibling's failure closed everything: what it
   * opened is closed at once.
   */
  add(close: () => Promise<unknown>): void {
    if (this.closed) void close().catch(() => undefined);
    else this.closers.push(close);
  }

  async closeAll(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    for (const close of this.closers.splice(0).reverse()) {
      await Promise.race([
        close().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
  }
}

export const OPENED_RESOURCES = Symbol('OPENED_RESOURCES');
