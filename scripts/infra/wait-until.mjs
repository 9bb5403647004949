// The retry loop shared by the health probes in this folder (wait-kafka.mjs, wait-mongo.mjs).
//
// Exit codes: 0 healthy, 1 timed out, 3 the process --pid died.

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function alive(p) {
  try {
    process.kill(Number(p), 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` (which resolves to a short description of the healthy service, or throws) every
 * `intervalMs` until it succeeds, then prints `<name>: <target> healthy (<description>)` and exits 0.
 * Exits 1 with the last error once `timeoutMs` (from the start of the process's wait) has passed,
 * and 3 as soon as the process `pid` (if given) is gone, naming it as the `what` that never became healthy.
 */
export async function waitUntilHealthy({ name, target, what, timeoutMs, pid, intervalMs, probe }) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  for (;;) {
    if (pid !== undefined && !alive(pid)) {
      console.error(`${name}: process ${pid} exited before the ${what} became healthy`);
      process.exit(3);
    }
    try {
      const description = await probe();
      console.log(`${name}: ${target} healthy (${description})`);
      process.exit(0);
    } catch (err) {
      lastError = err?.message ?? String(err);
    }
    if (Date.now() >= deadline) {
      console.error(`${name}: ${target} not healthy after ${timeoutMs / 1000}s: ${lastError}`);
      process.exit(1);
    }
    await sleep(intervalMs);
  }
}
