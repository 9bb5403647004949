/**
 * The Node options the service is started with (`npm start`, scripts/start.sh, the Dockerfile,
 * the benches and the e2e tests that boot dist/main.js). They are V8 options, which NODE_OPTIONS
 * refuses, so they go on the command line.
 *
 * - `--scavenger-max-new-space-capacity-mb=8`: V8 13.6 (Node 24) raised it to 32, which leaves
 *   short-lived Buffers (every chunk of a streamed payload) to full mark-compacts instead of
 *   scavenges (nodejs/node#61967). Streaming a 1 GiB object, Node 24 spent 3.5 s in the collector
 *   instead of 0.3 s on Node 20; with 8 it streams faster than Node 20 did, in less memory
 *   (docs/adr/0018-node-24.md).
 */
export const NODE_FLAGS = ['--scavenger-max-new-space-capacity-mb=8'] as const;

/** Whether this process was started with NODE_FLAGS. */
export function startedWithNodeFlags(execArgv: readonly string[] = process.execArgv): boolean {
  return NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
