/** {{ placeholders }} are looked up by own name only, and rendering keeps every key. */
import { describe, expect, it } from 'vitest';
import { renderPipeline, today } from '../../src-main/orchestrator/run-date';
import { ConfigError, type LoadedPipeline } from '../../src-main/io/recipe-load';
import { Pipeline } from '../../src-shared/recipe/pipeline';

const loaded = (where: string, columns: object): LoadedPipeline => ({
  file: 'p.yaml',
  text: '',
  pipeline: Pipeline.parse({
    name: 'p',
    source: { path: where },
    steps: [{ step: 'derive', columns }],
  }),
});

describe('placeholders and odd names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    '{{ %s }} is an unknown placeholder',
    (name) => {
      expect(() =>
        renderPipeline(loaded(`in_{{ ${name} }}.csv`, { a: '1' }), '2024-01-02'),
      ).toThrow(ConfigError);
    },
  );
  it('fills known placeholders and keeps a derived column called __proto__', () => {
    const columns = JSON.parse('{"__proto__": "1", "constructor": "2"}') as object;
    const r = renderPipeline(loaded('in_{{ run_date_nodash }}.csv', columns), '2024-01-02');
    expect(r.pipeline.source.path).toBe('in_20240102.csv');
    const derive = r.pipeline.steps[0] as { columns: object };
    expect(Object.entries(derive.columns)).toEqual([
      ['__proto__', '1'],
      ['constructor', '2'],
    ]);
  });
});

describe('today', () => {
  it('is the local date as Intl spells it (sv-SE), without asking Intl', () => {
    for (const at of ['2026-01-05T00:30:00', '2026-12-31T23:59:59', '1999-07-04T12:00:00'])
      expect(today(undefined, new Date(at))).toBe(new Date(at).toLocaleDateString('sv-SE'));
    expect(today('Pacific/Kiritimati', new Date('2026-01-05T23:00:00Z'))).toBe('2026-01-06');
  });
});
