import fc from 'fast-check';
import { findUnstorable } from '../../src/event-log/storable.js';
import { IamError } from '../../src/errors/iam.error.js';
import { S3Error } from '../../src/errors/s3.error.js';

/**
 * Generative fuzzing of the parsers that take bytes from the network (issue #10): inputs are
 * random, or valid seeds mutated by splicing in the tokens that break parsers. Every target runs
 * for FUZZ_SECONDS (a few seconds in the test suite; `npm run fuzz` runs each for ten minutes),
 * and a failure is shrunk by fast-check to a minimal input and printed with its seed, so
 * `FUZZ_SEED=<seed>` replays it.
 *
 * What counts as a failure: any error but the refusal a client gets (an S3 or IAM error, i.e. a
 * 4xx), an accepted value the read model could not store, or one input taking more than
 * CPU_LIMIT_MS of CPU (a quadratic or exponential path; the 50 ms event-loop bound itself is
 * proven by test/e2e/event-loop-stalls.e2e-spec.ts).
 */
export const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 3);
export const CPU_LIMIT_MS = 250;
/** Long enough for the run, the shrinking of a failure and the report. */
export const FUZZ_TEST_TIMEOUT_MS = FUZZ_SECONDS * 1000 + 120_000;

/** What a client's mistake is answered with: an S3 or IAM error, never a crash. */
export function isRefusal(error: unknown): boolean {
  return error instanceof S3Error || error instanceof IamError;
}

/** Runs `parse`; a refusal is fine, an accepted value must be storable, and nothing may take too long. */
export function expectRefusedOrStorable(parse: () => unknown): void {
  const started = process.cpuUsage();
  let value: unknown;
  let refused = false;
  try {
    value = parse();
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refused = true;
  }
  assertCpu(started);
  if (!refused) {
    const problem = findUnstorable(JSON.parse(JSON.stringify(value ?? null)));
    if (problem) throw new Error(`accepted an unstorable value: ${problem.path} ${problem.reason}`);
  }
}

export function assertCpu(started: NodeJS.CpuUsage): void {
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  if (ms > CPU_LIMIT_MS) throw new Error(`one input took ${ms.toFixed(0)} ms of CPU`);
}

/** Runs a property for FUZZ_SECONDS; throws fast-check's report (shrunk input, seed) on failure. */
export async function fuzz<T>(input: fc.Arbitrary<T>, run: (value: T) => void | Promise<void>): Promise<number> {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(input, async (value) => {
      runs++;
      await run(value);
    }),
    {
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: FUZZ_SECONDS * 1000,
      markInterruptAsFailure: false,
      ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
    },
  );
  return runs;
}

/** Pieces that break parsers: NUL and lone surrogates raw and escaped, markup, numbers, sheer size. */
export const HOSTILE_TOKENS: readonly string[] = [
  '\u0000', '%00', '%', '%ZZ', '%ED%A0%80', '%FF', '\uD800', '\uDFFF', '\uFFFE', '&#0;', '&#xD800;', '&#x110000;', '&amp;', '&',
  '<', '>', '</', '/>', ']]>', '<![CDATA[', '<!--', '-->', '<!DOCTYPE R [<!ENTITY e "x">]>', '&e;', '<?xml version="1.0"?>',
  '"', "'", '\\', '/', '//', '..', '*', '?', '${aws:username}', '${', '}', '{', '[', ']', '\r\n', '\n', ' ', '\t', '=', '&=',
  ',', ';', ':', '-', '-1', '0', '4294967296', '99999999999999999999', '1e309', 'NaN', 'true', 'null', '[]', '{}',
  'a'.repeat(1025), '/'.repeat(400), '*'.repeat(50), '<a>'.repeat(40), '😀', 'é', '\u2028',
];

const mutationStep = fc.record({
  kind: fc.constantFrom('insert', 'replace', 'delete', 'duplicate', 'truncate'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  span: fc.nat({ max: 64 }),
  token: fc.oneof(fc.constantFrom(...HOSTILE_TOKENS), fc.string({ unit: 'binary', maxLength: 8 })),
});
type MutationStep = typeof mutationStep extends fc.Arbitrary<infer S> ? S : never;

function applyStep(text: string, step: MutationStep): string {
  const at = Math.floor(step.at * (text.length + 1));
  switch (step.kind) {
    case 'insert':
      return text.slice(0, at) + step.token + text.slice(at);
    case 'replace':
      return text.slice(0, at) + step.token + text.slice(at + step.span);
    case 'delete':
      return text.slice(0, at) + text.slice(at + step.span);
    case 'duplicate':
      return text.slice(0, at + step.span) + text.slice(at, at + step.span) + text.slice(at + step.span);
    case 'truncate':
      return text.slice(0, at);
  }
}

/** A seed with one to eight mutations, or (rarely) random text: the fuzzer's inputs. */
export function mutationsOf(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutationStep, { minLength: 1, maxLength: 8 })).map(([seed, steps]) => steps.reduce(applyStep, seed)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 256 }) },
  );
}
