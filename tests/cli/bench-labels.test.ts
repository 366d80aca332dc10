/**
 * The bench's in-database phases say what they run: each step of the phase's pipeline, in order
 * (the labels once left out the text clean that runs first).
 */
import { describe, expect, it } from 'vitest';
import { BENCH_PIPELINE, PHASES } from '../../src-main/cli/bench';
import { enginePipeline } from '../../src-main/cli/bench-engine';

const named = (kind: string): string => (kind === 'aggregate' ? 'group by' : kind);

describe('the bench labels of the in-database phases', () => {
  it.each([
    ['engine_local', enginePipeline(BENCH_PIPELINE, 'local')],
    ['engine_postgres', enginePipeline(BENCH_PIPELINE, 'postgres')],
    ['engine_postgres_load', enginePipeline(BENCH_PIPELINE, 'postgres', true)],
  ])('%s names every step it runs, in order', (id, pipeline) => {
    const label = PHASES.find((p) => p.id === id)!.label;
    const kinds = pipeline.steps!.map((s) => named(s.step));
    expect(kinds).toContain('trim');
    expect(label).toContain(`PostgreSQL table: ${kinds.join(', ')}`);
  });
});
