/** Property runs with a fixed budget, their figures printed, and the seed in any failure. */
import fc from 'fast-check';

/**
 * Runs `property` `numRuns` times, or for `ms` on a machine too busy to do them all;
 * FUZZ_SEED=<n> replays a run. A failure throws fast-check's report: the seed, the path and
 * the shrunk counterexample.
 */
export async function fuzz<Ts>(
  label: string,
  property: fc.IRawProperty<Ts>,
  numRuns: number,
  ms = 3_500,
): Promise<void> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const t0 = performance.now();
  const out = await fc.check(property, { numRuns, seed, interruptAfterTimeLimit: ms });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`fuzz ${label}: ${out.numRuns} runs in ${s} s (seed ${out.seed})`);
  if (out.failed) throw new Error(fc.defaultReportMessage(out) ?? `${label} failed`);
}
