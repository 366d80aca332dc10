/**
 * The helper thread of a split profile (orchestrator/profile-split-worker.ts) starts while the
 * main thread opens the file, and its start is time the profile waits for: it loads the
 * profiler and the batch reader's code, not the sniffing, the steps or zod (which the
 * sniffing's vocabulary pulled in: a fifth of a second to compile, on a busy machine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtEntry } from '../../src-main/launch.mjs';
import { ROOT } from '../helpers/run';

interface Meta {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
}

/** The sources a module loads before it runs: its static imports, and theirs. */
function loads(meta: Meta, from: string): string[] {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length)
    for (const i of meta.inputs[queue.shift()!]?.imports ?? [])
      if (i.kind !== 'dynamic-import' && !seen.has(i.path)) {
        seen.add(i.path);
        queue.push(i.path);
      }
  return [...seen];
}

beforeAll(() => {
  if (!builtEntry('sluice.mjs'))
    throw new Error('out/cli is missing or older than the sources: run npm run build:cli');
});

describe("a split profile's helper thread", () => {
  it('loads the profiler and the reader, without the sniffing, the steps or zod', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'out', 'cli', 'meta.json'), 'utf8')) as Meta;
    const sources = loads(meta, 'src-main/orchestrator/profile-split-worker.ts');
    expect(sources).toEqual(
      expect.arrayContaining(['src-main/engine/profile.ts', 'src-main/io/csv-batches.ts']),
    );
    const heavy = sources.filter((s) =>
      /node_modules\/zod\/|src-main\/io\/(csv-read|sniff)\.ts|src-main\/engine\/steps\//.test(s),
    );
    expect(heavy).toEqual([]);
  });
});
