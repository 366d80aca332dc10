/**
 * `sluice bench --no-phases`: the zero-config clean measured end to end (a real `sluice import`
 * and `sluice run`, each its own process, and the two as one `sluice import --run`) and start-up against bare node; with --compare each
 * peer that a python here has cleans the same file to the same rows, and the others are named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EndToEnd, PeerPhase } from '../../src-main/cli/bench-compare';
import type { PhaseResult } from '../../src-main/cli/bench';
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

    // The one-process form (sluice import --run) is measured too; the bench checked that its
    // output is the two processes' byte for byte, or it would have failed.
    for (const m of [e.sluice.import, e.sluice.run, e.sluice.oneProcess]) {
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
    expect(e.startup!.node).toBeGreaterThan(0);
    expect(e.startup!.sluice).toBeGreaterThan(0);
  }, 240_000);

  it('with --large, cleans a bigger generated file too and reports both sizes', async () => {
    const file = join(tempDir(), 'sales.csv');
    await writeBenchSales(file, 1000);
    const r = sluice(['bench', '--file', file, '--large', '4000', '--no-phases', '--json']);
    expect(r.code).toBe(0);
    const { endToEnd: e, large } = JSON.parse(r.stdout) as { endToEnd: EndToEnd; large: EndToEnd };
    expect(e.sluice.rowsOut).toBeGreaterThan(900);
    expect(large.sluice.rowsOut).toBeGreaterThan(3 * e.sluice.rowsOut);
    for (const m of [large.sluice.import, large.sluice.run, large.sluice.oneProcess]) {
      expect(m.userSeconds).toBeGreaterThan(0);
      expect(m.peakMB).toBeGreaterThan(20);
    }
    // Start-up is measured once, with the first size; the second says nothing of it.
    expect(e.startup).not.toBeNull();
    expect(large.startup).toBeNull();
  }, 240_000);
});

describe('sluice bench --only, the in-process phases', () => {
  it('groups and joins as the peers do, and times a load apart from the cleaning', async () => {
    const file = join(tempDir(), 'sales.csv');
    await writeBenchSales(file, 3000);
    const only = 'groupby,join,sqlite,sqlite_upsert';
    const r = sluice(['bench', '--file', file, '--only', only, '--compare', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      endToEnd: unknown;
      results: {
        id: string;
        sluice: PhaseResult;
        peers: (PeerPhase | { tool: string; missing: string })[];
      }[];
    };
    expect(out.endToEnd).toBeNull();
    expect(out.results.map((x) => x.id)).toEqual(only.split(','));
    const [groupby, join_, sqlite, upsert] = out.results;
    // The generated file has a few hundred repeats of a customer: fewer groups than rows.
    expect(groupby.sluice.rowsOut).toBeLessThan(join_.sluice.rowsOut);
    for (const phase of [groupby, join_]) {
      const ran = phase.peers.filter((p): p is PeerPhase => !('missing' in p));
      for (const p of ran)
        expect([p.tool, p.rowsIn, p.rowsOut]).toEqual([
          p.tool,
          phase.sluice.rows,
          phase.sluice.rowsOut,
        ]);
      expect(phase.peers.map((p) => p.tool).sort()).toEqual(['duckdb', 'pandas', 'polars']);
    }
    for (const load of [sqlite, upsert]) {
      expect(load.sluice.rowsOut).toBe(join_.sluice.rowsOut);
      expect(load.sluice.loadMs).toBeGreaterThan(0);
      expect(load.sluice.loadMs).toBeLessThan(load.sluice.ms);
      expect(load.sluice.loadRowsPerSec).toBe(
        Math.round((load.sluice.rowsOut * 1000) / load.sluice.loadMs!),
      );
    }
    expect(sluice(['bench', '--file', file, '--only', 'groupby,nope']).stderr).toMatch(
      /--only: no phase nope \(there are read, clean, full, groupby/,
    );
  }, 240_000);
});
