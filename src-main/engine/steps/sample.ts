/**
 * sample: a seeded random sample, so a recipe replays to the same rows: `fraction` keeps each
 * row with that probability (streaming); `rows` keeps exactly that many (reservoir sampling over
 * all rows), in their original order. The rows left out are counted as removed.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { emitSliced, holdAll, type StepImpl } from '../step';
import { take } from '../table';

/** mulberry32: small, fast and good enough for sampling. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Why a row left out of the sample was removed (the in-database books say the same). */
export function sampleReason(step: StepOf<'sample'>): string {
  return step.fraction !== undefined
    ? `not in the ${step.fraction} sample`
    : `not among the ${step.rows} sampled rows`;
}

export const sample: StepImpl<StepOf<'sample'>> = {
  kind: 'sample',
  plan(step, input) {
    const next = random(step.seed);
    const reason = sampleReason(step);
    if (step.fraction !== undefined) {
      const p = step.fraction;
      return {
        fields: input,
        process(batch, sink) {
          const idx: number[] = [];
          for (let i = 0; i < batch.length; i++) if (next() < p) idx.push(i);
          sink.drop(batch.length - idx.length, reason);
          if (idx.length) sink.emit(take(batch, idx));
        },
      };
    }
    const k = step.rows!;
    return holdAll(input, (all, sink) => {
      // Algorithm R: the first k rows, then row i replaces a random one with chance k/(i+1).
      const chosen: number[] = [];
      for (let i = 0; i < all.length; i++) {
        if (i < k) chosen.push(i);
        else {
          const j = Math.floor(next() * (i + 1));
          if (j < k) chosen[j] = i;
        }
      }
      chosen.sort((a, b) => a - b);
      sink.drop(all.length - chosen.length, reason);
      if (chosen.length) emitSliced(take(all, chosen), sink);
    });
  },
};
