/**
 * `sluice bench --no-phases`: the zero-config clean measured end to end (a real `sluice import`
 * and `sluice run`, each its own process) and start-up against bare node; with --compare each
 * peer that a python here has cleans the same file to the same rows, and the others are named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EndToEnd } from '../../src-main/cli/bench-compare';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('sluice bench, end to end', () => {
  it('times import and run from start to exit, and every peer that ran agrees on the rows', async () => {
    const file = join(tempDir(), 'sales.csv');
    await writeBenchSales(file, 3000);
    const r = sluice(['bench', '--file', file, '--no-phases', '--compare', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { endToEnd: e } = JSON.parse(r.stdout) as { endToEnd: EndToEnd };

    // What the recipe's dedupe should keep, counted here from the file itself.
    const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
    const names = header.split(',');
    const at = e.sluice.key.map((k) => names.indexOf(k));
    expect(at.every((i) => i >= 0 && i < 8)).toBe(true); // unquoted leading columns
    const keys = new Set(lines.map((l) => at.map((i) => l.split(',')[i].trim()).join('|')));
    expect(e.sluice.rowsOut).toBe(keys.size);

    for (const m of [e.sluice.import, e.sluice.run]) {
      expect(m.seconds).toBeGreaterThan(0);
      expect(m.userSeconds).toBeGreaterThan(0);
      expect(m.peakMB).toBeGreaterThan(20);
    }
    expect(e.sluice.total.seconds).toBeCloseTo(e.sluice.import.seconds + e.sluice.run.seconds, 5);
    for (const p of e.peers) expect([p.tool, p.rowsOut]).toEqual([p.tool, e.sluice.rowsOut]);
    const accounted = [...e.peers.map((p) => p.tool), ...e.missing.map((m) => m.split(' ')[0])];
    expect(accounted.sort()).toEqual(['duckdb', 'pandas', 'polars']);
    // Both measured; which median is larger is noise now that the built sluice starts within a
    // few hundredths of a second of bare node (tests/cli/built-cli.test.ts checks what it loads).
    expect(e.startup.node).toBeGreaterThan(0);
    expect(e.startup.sluice).toBeGreaterThan(0);
  }, 240_000);

  it('with --large, cleans a bigger generated file too and reports both sizes', async () => {
    const file = join(tempDir(), 'sales.csv');
    await writeBenchSales(file, 1000);
    const r = sluice(['bench', '--file', file, '--large', '4000', '--no-phases', '--json']);
    expect(r.code).toBe(0);
    const { endToEnd: e, large } = JSON.parse(r.stdout) as { endToEnd: EndToEnd; large: EndToEnd };
    expect(e.sluice.rowsOut).toBeGreaterThan(900);
    expect(large.sluice.rowsOut).toBeGreaterThan(3 * e.sluice.rowsOut);
    for (const m of [large.sluice.import, large.sluice.run]) {
      expect(m.userSeconds).toBeGreaterThan(0);
      expect(m.peakMB).toBeGreaterThan(20);
    }
  }, 240_000);
});
