/**
 * Replay progress on a terminal: a bar with events done / total, events per second and ETA,
 * redrawn in place; plain lines every few seconds when stdout is not a TTY (logs, CI).
 */
export class ProgressReporter {
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly plainEveryMs = 2000,
  ) {}

  update(done: number, total: number, force = false): void {
    const now = Date.now();
    const tty = this.out.isTTY === true;
    if (!force && now - this.lastDraw < (tty ? 100 : this.plainEveryMs)) return;
    this.lastDraw = now;
    const line = formatProgress(done, total, (now - this.started) / 1000);
    if (tty) this.out.write(`\r${line}\x1b[K`);
    else this.out.write(`${line}\n`);
  }

  finish(done: number, total: number): void {
    this.update(done, total, true);
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function formatProgress(done: number, total: number, elapsedSeconds: number, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  return `${bar} ${done}/${total} events  ${rate.toFixed(0)} ev/s  ETA ${eta === undefined ? '?' : formatSeconds(eta)}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
