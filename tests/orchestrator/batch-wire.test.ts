/** Batches packed for another thread come back equal: text (nulls, empty, any characters), numbers with their validity, line numbers, and views of larger buffers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBatch, unpackBatch } from '../../src-main/orchestrator/batch-wire';
import { numColumn, type Batch, type Column } from '../../src-main/engine/table';

const cell = fc.oneof(fc.constant(null), fc.string({ unit: 'binary' }), fc.constant(''));

describe('batch wire', () => {
  it('gives back the batch it was given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (n, kinds, offset) => {
          const columns: Column[] = kinds.map((text, c) => {
            if (text)
              return {
                kind: 'text',
                values: fc.sample(cell, { numRuns: n, seed: n * 7 + c }),
              };
            // A view into a larger buffer, as sliceRows makes.
            const big = numColumn(n + offset);
            for (let i = 0; i < n + offset; i++) {
              big.values[i] = i % 3 === 0 ? NaN : i * 1.5 - c;
              big.valid[i] = i % 4 === 0 ? 0 : 1;
            }
            return {
              kind: 'num',
              values: big.values.subarray(offset),
              valid: big.valid.subarray(offset),
            };
          });
          const batch: Batch = {
            fields: kinds.map((text, c) => ({ name: `c${c}`, type: text ? 'string' : 'float' })),
            columns,
            length: n,
            line: Int32Array.from({ length: n }, (_, i) => i + 2),
            lineEnd: Int32Array.from({ length: n }, (_, i) => i + 3),
          };
          const { wire, transfer } = packBatch(batch);
          // What postMessage would do: a structured clone that moves the buffer.
          const back = unpackBatch(structuredClone(wire, { transfer }));
          expect(back.length).toBe(n);
          expect(back.fields).toEqual(batch.fields);
          expect([...back.line]).toEqual([...batch.line]);
          expect([...back.lineEnd]).toEqual([...batch.lineEnd]);
          back.columns.forEach((c, ci) => {
            const orig = columns[ci];
            if (c.kind === 'text' && orig.kind === 'text') expect(c.values).toEqual(orig.values);
            else if (c.kind === 'num' && orig.kind === 'num') {
              expect([...c.values]).toEqual([...orig.values]);
              expect([...c.valid]).toEqual([...orig.valid]);
            } else throw new Error('the column changed kind');
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
