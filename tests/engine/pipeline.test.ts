import { describe, expect, it } from 'vitest';
import { BooksError, planPipeline } from '../../src-main/engine/pipeline';
import { batchFromRows, take, type Batch } from '../../src-main/engine/table';
import type { StepImpl } from '../../src-main/engine/step';
import { Step } from '../../src-shared/recipe/steps';

const input = batchFromRows(['a'], [['1'], ['2'], ['3']]);

describe('the books', () => {
  it('counts in, out, rejected, removed and changed cells per step, from what steps actually do', () => {
    const out: Batch[] = [];
    const steps = [
      Step.parse({ step: 'trim' }),
      Step.parse({ step: 'cast', columns: { a: 'int' } }),
      Step.parse({ step: 'filter', where: 'a > 1' }),
    ];
    const p = planPipeline(steps, input.fields, { onOutput: (b) => out.push(b) });
    p.push(batchFromRows(['a'], [[' 1'], ['x'], ['3 ']]));
    p.finish();
    expect(
      p
        .reports()
        .map((r) => [r.name, r.rowsIn, r.rowsOut, r.rowsRejected, r.rowsRemoved, r.cellsChanged]),
    ).toEqual([
      ['1:trim', 3, 3, 0, 0, 2],
      ['2:cast', 3, 2, 1, 0, 0],
      ['3:filter', 2, 1, 0, 1, 0],
    ]);
    expect(out.reduce((s, b) => s + b.length, 0)).toBe(1);
  });

  it('fails the run when a step loses rows without saying why', () => {
    const leaky: Pick<StepImpl, 'plan'> = {
      plan: (_s, fields) => ({ fields, process: (b, sink) => sink.emit(take(b, [0])) }),
    };
    const p = planPipeline(
      [{ step: 'trim', columns: 'all', collapse_spaces: false }],
      input.fields,
      { onOutput: () => undefined },
      undefined,
      { trim: leaky },
    );
    p.push(input);
    expect(() => p.finish()).toThrow(BooksError);
    expect(() => p.finish()).toThrow(
      /1:trim do not balance: 3 in \+ 0 added, 1 out \+ 0 rejected \+ 0 removed \+ 0 merged/,
    );
  });

  it('skips disabled steps and names steps by position or by name', () => {
    const p = planPipeline(
      [
        Step.parse({ step: 'trim', enabled: false }),
        Step.parse({ step: 'case', columns: 'all', to: 'upper', name: 'shout' }),
      ],
      input.fields,
      { onOutput: () => undefined },
    );
    p.finish();
    expect(p.reports().map((r) => r.name)).toEqual(['shout']);
  });

  it('names the step and the path of a configuration error', () => {
    expect(() =>
      planPipeline([Step.parse({ step: 'select', columns: ['a', 'zz'] })], input.fields, {
        onOutput: () => undefined,
      }),
    ).toThrow(/step 1:select: unknown column "zz"/);
  });
});

describe("each step's time", () => {
  /** A clock that moves only when told: each part below costs a known number of ms. */
  function fakeClock(): { now: () => number; spend: (ms: number) => void } {
    let t = 0;
    return { now: () => t, spend: (ms) => void (t += ms) };
  }

  it('is its own: not the steps after it, nor the outputs after the last one', () => {
    const clock = fakeClock();
    const costs: Record<string, number> = { trim: 5, case: 7 };
    // Steps that pass rows on and cost `costs[kind]` ms per batch, before handing them on.
    const costly = (kind: string): Pick<StepImpl, 'plan'> => ({
      plan: (_s, fields) => ({
        fields,
        process: (b, sink) => {
          clock.spend(costs[kind]);
          sink.emit(b);
        },
      }),
    });
    const p = planPipeline(
      [Step.parse({ step: 'trim' }), Step.parse({ step: 'case', columns: 'all', to: 'upper' })],
      input.fields,
      // A slow output: writing each batch costs 1000 ms, and none of it is a step's.
      { onOutput: () => clock.spend(1000) },
      { side: () => input, now: clock.now },
      { trim: costly('trim'), case: costly('case') },
    );
    for (let i = 0; i < 3; i++) p.push(input);
    p.finish();
    expect(p.reports().map((r) => [r.name, r.ms])).toEqual([
      ['1:trim', 15],
      ['2:case', 21],
    ]);
  });

  it('counts what a step does when it finishes, and not the outputs its held rows go to', () => {
    const clock = fakeClock();
    const held: Batch[] = [];
    // A step that holds every row (as sort does) and hands them on when it finishes.
    const holding: Pick<StepImpl, 'plan'> = {
      plan: (_s, fields) => ({
        fields,
        process: (b) => {
          clock.spend(2);
          held.push(b);
        },
        finish: (sink) => {
          clock.spend(10);
          for (const b of held) sink.emit(b);
        },
      }),
    };
    const p = planPipeline(
      [Step.parse({ step: 'sort', by: [{ column: 'a' }] })],
      input.fields,
      { onOutput: () => clock.spend(1000) },
      { side: () => input, now: clock.now },
      { sort: holding },
    );
    for (let i = 0; i < 4; i++) p.push(input);
    p.finish();
    expect(p.reports().map((r) => [r.name, r.ms])).toEqual([['1:sort', 18]]);
  });
});
