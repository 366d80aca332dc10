/** The README's examples are part of the product: they must run as written. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluice } from '../helpers/cli';
import { SHARED, tempDir } from '../helpers/tmp';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function yamlAfter(marker: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThan(-1);
  const m = /```yaml\n([\s\S]*?)```/.exec(README.slice(at));
  return m![1];
}

describe('README', () => {
  it('the full pipeline example runs on the real Sales.csv, every step kind included', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    const project = yamlAfter('`sluice.yaml`:')
      .replace('data: data', `data: ${SHARED}`)
      .replace('store: runs.db', 'store: store.db');
    writeFileSync(join(dir, 'sluice.yaml'), project);
    const pipeline = yamlAfter('A pipeline, with every step kind shown');
    writeFileSync(join(dir, 'pipelines', 'sales.yaml'), pipeline);
    const r = sluice(['run', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as RunReport;
    const kinds = new Set(rep.pipelines[0].steps.map((s) => s.kind));
    expect(kinds.size).toBe(14);
    const p = rep.pipelines[0];
    expect(p.rowsIn).toBe(62884);
    expect(p.rowsOut + p.rowsRejected + p.rowsRemoved).toBe(62884);
    expect(readFileSync(join(dir, 'out', 'sales.csv'), 'utf8').split('\n')[0]).toBe(
      'order_number,Line Item,Order Date,CustomerKey,Quantity,Currency Code',
    );
  });
});

describe('README transformation examples', () => {
  it('are valid steps', async () => {
    const { parse } = await import('yaml');
    const { Step } = await import('../../src-shared/recipe/steps');
    const first = parse(yamlAfter('### Transformations')) as { steps: unknown[] };
    const more = parse(yamlAfter('More shape-changing steps:')) as unknown[];
    for (const s of [...first.steps, ...more]) {
      const r = Step.safeParse(s);
      expect(r.success, JSON.stringify(s) + (r.success ? '' : r.error.message)).toBe(true);
    }
    expect(first.steps.length + more.length).toBe(12);
  });
});
