import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The longest the event loop was held while `action` ran, in milliseconds: the CPU a request
 * takes in one go, which every other request on the process waits behind. Measured with
 * perf_hooks.monitorEventLoopDelay, not with wall time: a slow machine stretches every turn a
 * little, but only work that never yields makes one turn long.
 */
export async function eventLoopStallMs(action: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await action();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

/**
 * The smallest of `runs` stalls of the same action. A stall the action itself causes shows in
 * every run; one caused by the machine (the process not scheduled for a moment while other
 * processes share the two cores) does not, so it cannot fail a test by chance.
 */
export async function repeatableStallMs(runs: number, action: () => Promise<unknown>): Promise<number> {
  const stalls: number[] = [];
  for (let i = 0; i < runs; i++) stalls.push(await eventLoopStallMs(action));
  return Math.min(...stalls);
}
