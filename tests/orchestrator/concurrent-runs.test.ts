/** Runs of one pipeline started side by side in one process queue instead of racing. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src-main/io/recipe-load';
import { runProject } from '../../src-main/orchestrator/run-project';
import { openRunStore } from '../../src-main/store/open';
import { makeProject } from '../helpers/project';

const rows = Array.from({ length: 2000 }, (_, i) => `${i},v${i}`).join('\n');

describe('concurrent runs of one pipeline in one process', () => {
  it('queue: each starts once the one before has finished, and every run succeeds', async () => {
    const dir = makeProject(
      { a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n' },
      { name: 'q', settings: 'workers: 1\n', smallCsv: `id,v\n${rows}\n` },
    );
    const project = await loadProject(dir);
    // One store for the six runs, as the service and the app hold one.
    const store = openRunStore(project);
    const events: string[] = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      runProject(project, store, {
        notify: false,
        onPipelineStart: () => events.push(`start ${i}`),
        onPipelineDone: (r) => events.push(`done ${i} ${r.status}`),
      }),
    );
    const reports = await Promise.all(runs);
    expect(reports.map((r) => r.status)).toEqual(Array(6).fill('succeeded'));
    // Never two at once: every start is followed by its own end.
    for (let k = 0; k < events.length; k += 2) {
      const i = events[k].split(' ')[1];
      expect([events[k], events[k + 1]]).toEqual([`start ${i}`, `done ${i} succeeded`]);
    }
    expect(readFileSync(join(dir, 'out', 'a.csv'), 'utf8')).toBe(`id,v\n${rows}\n`);
    expect(readdirSync(join(dir, 'out'))).toEqual(['a.csv']);
    // The runs that waited say so in their log.
    expect(store.path).toBe(join(dir, 'store.db'));
    const waited = reports.filter((r) =>
      store.logs(r.runId).some((l) => l.message.includes('waits for another run of it')),
    );
    store.close();
    expect(waited.length).toBe(5);
  });

  it('runs of one pipeline for different dates (different outputs) still run side by side', async () => {
    const dir = makeProject(
      {
        a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: "out/a-{{ run_date }}.csv"}\n',
      },
      { name: 'd', settings: 'workers: 1\n', smallCsv: `id,v\n${rows}\n` },
    );
    const project = await loadProject(dir);
    const store = openRunStore(project);
    const events: string[] = [];
    const reports = await Promise.all(
      ['2026-01-01', '2026-01-02'].map((runDate) =>
        runProject(project, store, {
          notify: false,
          runDate,
          onPipelineStart: () => events.push('start'),
          onPipelineDone: () => events.push('done'),
        }),
      ),
    );
    store.close();
    expect(reports.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(events.slice(0, 2)).toEqual(['start', 'start']);
  });
});
