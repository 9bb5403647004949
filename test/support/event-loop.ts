import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const RESOLUTION_MS = 5;

/**
 * The longest the event loop was held while `action` ran, in milliseconds: the CPU a request
 * takes in one go, which every other request on the process waits behind. The service under
 * test runs in this process, so this is measured with perf_hooks.monitorEventLoopDelay (how late
 * its timer fires), not with wall time: a slow machine stretches every turn a little, but only
 * work that never yields makes one turn long.
 */
export async function eventLoopStallMs(action: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    await action();
    // The timer records a stall when it next fires: give it a few periods after the work.
    await sleep(4 * RESOLUTION_MS);
    return histogram.max / 1e6;
  } finally {
    histogram.disable();
  }
}

/**
 * The smallest of `runs` stalls of an action (told which run it is, to vary what must not be
 * cached). A stall the action itself causes shows in every run; one the machine causes (the
 * process not scheduled for a moment while other processes share the cores) does not, so a
 * loaded machine cannot fail a test by chance.
 */
export async function repeatableStallMs(runs: number, action: (run: number) => Promise<unknown>): Promise<number> {
  const stalls: number[] = [];
  for (let run = 0; run < runs; run++) stalls.push(await eventLoopStallMs(() => action(run)));
  return Math.min(...stalls);
}
