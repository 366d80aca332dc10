/**
 * dedupe: one row per key (all columns when no key is given). keep: first streams; last and
 * none need every row first. Every removed row is reported with the key it duplicated.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { RowKeys } from '../keys';
import { emitSliced, holdAll, resolveColumns, type StepImpl } from '../step';
import { take } from '../table';

export const dedupe: StepImpl<StepOf<'dedupe'>> = {
  kind: 'dedupe',
  plan(step, input, ctx) {
    const cols = step.key
      ? resolveColumns(step.key, input, { key: 'key' })
      : input.map((_, i) => i);
    const label = step.key ? step.key.join(' + ') : 'all columns';
    const reason = `duplicate ${label}`;
    if (step.keep === 'first') {
      const keys = new RowKeys(cols.length, true);
      let ids = new Int32Array(0);
      let keep = new Int32Array(0);
      let sized = false;
      return {
        fields: input,
        process(batch, sink) {
          // Room for the rows the source holds, asked once they come, in case their keys come
          // out of order: no rebuilds of the table as it fills (the last, near the end, held up
          // the run's thread).
          if (!sized) {
            sized = true;
            const rows = ctx.rowsHint?.();
            if (rows !== undefined) keys.reserve(rows);
          }
          if (ids.length < batch.length) {
            ids = new Int32Array(batch.length);
            keep = new Int32Array(batch.length);
          }
          // New keys get the next ids in row order, so a row is a key's first exactly when its
          // id is the next new one.
          let next = keys.size;
          keys.ids(batch, cols, ids);
          let kept = 0;
          for (let i = 0; i < batch.length; i++) {
            if (ids[i] === next) {
              next++;
              keep[kept++] = i;
            } else sink.remove(batch, i, reason);
          }
          if (kept) sink.emit(take(batch, keep.subarray(0, kept)));
        },
      };
    }
    return holdAll(input, (all, sink) => {
      const ids = new Int32Array(all.length);
      const keys = new RowKeys(cols.length);
      keys.reserve(all.length);
      keys.ids(all, cols, ids);
      const count = new Int32Array(keys.size);
      const last = new Int32Array(keys.size);
      for (let i = 0; i < all.length; i++) {
        count[ids[i]]++;
        last[ids[i]] = i;
      }
      const idx: number[] = [];
      for (let i = 0; i < all.length; i++) {
        const id = ids[i];
        const keepIt = step.keep === 'last' ? last[id] === i : count[id] === 1;
        if (keepIt) idx.push(i);
        else sink.remove(all, i, reason);
      }
      if (idx.length) emitSliced(take(all, idx), sink);
    });
  },
};
