import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const RESOLUTION_MS = 5;

/**
 * Runs `work` and reports the longest the event loop was held meanwhile, in milliseconds, as
 * perf_hooks.monitorEventLoopDelay sees it: how late its timer fired. The service under test
 * runs in this process, so a request that computes for 14 s shows as a 14 s delay, and what
 * the test measures is held CPU, not how long a loaded machine took to answer.
 */
export async function maxEventLoopDelayDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    const result = await work();
    // The timer records a stall when it next fires: give it a few periods after the work.
    await sleep(4 * RESOLUTION_MS);
    return { result, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
