/**
 * Lets writes through, or holds new ones while the read model is being switched (blue/green
 * replay): `close()` resolves once every write already inside has finished, and writes that
 * arrive meanwhile wait for `open()` instead of failing.
 */
export class WriteGate {
  private closed: Promise<void> | null = null;
  private reopen: () => void = () => undefined;
  private inside = 0;
  private drained: Array<() => void> = [];

  async enter<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.inside++;
    try {
      return await work();
    } finally {
      this.inside--;
      if (this.inside === 0) this.drained.splice(0).forEach((resolve) => resolve());
    }
  }

  async close(): Promise<void> {
    if (!this.closed) this.closed = new Promise<void>((resolve) => (this.reopen = resolve));
    if (this.inside > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  open(): void {
    const reopen = this.reopen;
    this.closed = null;
    reopen();
  }
}
