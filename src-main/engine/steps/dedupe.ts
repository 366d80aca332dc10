/**
 * dedupe: one row per key (all columns when no key is given). keep: first streams; last and
 * none need every row first. Every removed row is reported with the key it duplicated.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { KeySet } from '../hashset';
import { keyFnWithNulls, type RowKey } from '../keys';
import { emitSliced, holdAll, resolveColumns, type StepImpl } from '../step';
import { take } from '../table';

export const dedupe: StepImpl<StepOf<'dedupe'>> = {
  kind: 'dedupe',
  plan(step, input) {
    const cols = step.key
      ? resolveColumns(step.key, input, { key: 'key' })
      : input.map((_, i) => i);
    const label = step.key ? step.key.join(' + ') : 'all columns';
    const reason = `duplicate ${label}`;
    if (step.keep === 'first') {
      const seen = new KeySet();
      return {
        fields: input,
        process(batch, sink) {
          const key = keyFnWithNulls(batch, cols);
          const idx: number[] = [];
          for (let i = 0; i < batch.length; i++) {
            if (seen.add(key(i))) idx.push(i);
            else sink.remove(batch, i, reason);
          }
          if (idx.length) sink.emit(take(batch, idx));
        },
      };
    }
    return holdAll(input, (all, sink) => {
      const key = keyFnWithNulls(all, cols);
      const count = new Map<RowKey, number>();
      const last = new Map<RowKey, number>();
      for (let i = 0; i < all.length; i++) {
        const k = key(i);
        count.set(k, (count.get(k) ?? 0) + 1);
        last.set(k, i);
      }
      const idx: number[] = [];
      for (let i = 0; i < all.length; i++) {
        const k = key(i);
        const keepIt = step.keep === 'last' ? last.get(k) === i : count.get(k) === 1;
        if (keepIt) idx.push(i);
        else sink.remove(all, i, reason);
      }
      if (idx.length) emitSliced(take(all, idx), sink);
    });
  },
};
