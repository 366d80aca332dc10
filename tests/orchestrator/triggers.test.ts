/** Schedules with catch-up, watched folders and notification hooks, through the real CLI. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Schedule } from '../../src-shared/recipe/pipeline';
import type { RunReport } from '../../src-shared/recipe/result';
import { missedDates } from '../../src-main/orchestrator/scheduler';
import { openStore } from '../../src-main/store/sqlite-store';
import { SLUICE, sluiceIn } from '../helpers/cli';
import { makeProject } from '../helpers/project';
import { output } from '../helpers/output';

const project = (pipelines: Record<string, string>, settings = ''): string =>
  makeProject(pipelines, { name: 't', settings, smallCsv: 'id,v\n1,a\n2,b\n' });

function sluiceAsync(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [SLUICE, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout })));
}

const dayOffset = (n: number): string =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('missed intervals', () => {
  const spec = (s: object) => Schedule.parse(s);
  it('are the days of the occurrences after the last run, up to now, in the time zone', () => {
    const daily = spec({ cron: '0 6 * * *', timezone: 'UTC' });
    expect(missedDates(daily, '2026-01-01', new Date('2026-01-05T07:00:00Z'))).toEqual([
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
    ]);
    expect(missedDates(daily, '2026-01-01', new Date('2026-01-05T05:59:00Z'))).toEqual([
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
    ]);
    // 08:00 in Tokyo is 23:00 UTC the day before: the logical date is Tokyo's.
    const tokyo = spec({ cron: '0 8 * * *', timezone: 'Asia/Tokyo' });
    expect(missedDates(tokyo, '2026-01-01', new Date('2026-01-03T00:00:00Z'))).toEqual([
      '2026-01-02',
      '2026-01-03',
    ]);
  });

  it('start from start_date for a pipeline that never ran, and not at all without one', () => {
    const now = new Date('2026-01-04T07:00:00Z');
    expect(missedDates(Schedule.parse({ cron: '0 6 * * *', timezone: 'UTC' }), null, now)).toEqual(
      [],
    );
    expect(
      missedDates(
        Schedule.parse({ cron: '0 6 * * *', timezone: 'UTC', start_date: '2026-01-03' }),
        null,
        now,
      ),
    ).toEqual(['2026-01-03', '2026-01-04']);
  });
});

describe('sluice schedule', () => {
  it('--once catches up the missed days since the last run, at most max_active_runs at a time', async () => {
    const dir = project({
      daily: `schedule: {cron: '0 0 * * *', timezone: UTC, max_active_runs: 2}\nsource: {path: small.csv}\noutputs:\n  - {kind: csv, path: 'out/{{ run_date }}.csv'}\n`,
    });
    expect((await sluiceIn(['run', dir, '--date', dayOffset(-5)])).code).toBe(0);
    const r = await sluiceIn(['schedule', dir, '--once']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const missed = [-4, -3, -2, -1, 0].map(dayOffset);
    expect(r.stdout).toContain(
      `daily: catching up 5 missed intervals (${missed[0]} to ${missed[4]}) since ${dayOffset(-5)}`,
    );
    for (const d of missed) expect(existsSync(join(dir, 'out', `${d}.csv`))).toBe(true);
    const store = openStore(join(dir, 'store.db'));
    const runs = store.listRuns({ pageSize: 100 }).items.filter((x) => x.trigger === 'schedule');
    store.close();
    expect(runs.map((x) => x.runDate).sort()).toEqual(missed);
    const spans = runs.map((x) => [Date.parse(x.startedAt), Date.parse(x.finishedAt!)]);
    for (const [s] of spans)
      expect(spans.filter(([a, b]) => a <= s && s < b).length).toBeLessThanOrEqual(2);
    // Caught up: nothing more to do.
    expect((await sluiceIn(['schedule', dir, '--once'])).stdout).not.toContain('catching up');
  });

  it('runs a watched pipeline once for each file that has finished being written, then stops on Ctrl-C', async () => {
    // A file is ready once it has not changed for stable_ms: long against the pause below, so a
    // busy machine does not make a file still being written look finished.
    const dir = project({
      inbox: `watch: {folder: incoming, pattern: '*.csv', stable_ms: 2000}\nsource: {path: none-yet.csv}\noutputs:\n  - {kind: csv, path: out/inbox.csv}\n`,
    });
    mkdirSync(join(dir, 'incoming'));
    const child = spawn(process.execPath, [SLUICE, 'schedule', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = output(child);
    const until = printed.until;
    try {
      await until(/scheduler running/);
      const file = join(dir, 'incoming', 'batch1.csv');
      writeFileSync(file, 'id,v\n1,a\n');
      // The writer pauses mid-file (the input's timing, not a wait for this test's sake).
      await new Promise((r) => setTimeout(r, 250));
      appendFileSync(file, '2,b\n3,c\n'); // still being written: no run yet
      writeFileSync(join(dir, 'incoming', 'notes.txt'), 'not a csv');
      await until(/\(watch .*batch1\.csv\): succeeded/);
      expect(readFileSync(join(dir, 'out', 'inbox.csv'), 'utf8')).toBe('id,v\n1,a\n2,b\n3,c\n');
      // A second file, and its run: by then a second run of the first would have come.
      writeFileSync(join(dir, 'incoming', 'batch2.csv'), 'id,v\n4,d\n');
      await until(/\(watch .*batch2\.csv\): succeeded/);
      expect(printed.text().match(/\(watch [^)]*batch1\.csv\)/g)).toHaveLength(1);
      expect(printed.text().match(/\(watch /g)).toHaveLength(2);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
  }, 180_000);

  it('says so when no pipeline has a schedule or a watched folder', async () => {
    const dir = project({ p: `source: {path: small.csv}\n` });
    const r = await sluiceIn(['schedule', dir, '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no pipeline of t has a schedule or a watched folder/);
  });
});

describe('notifications', () => {
  it('calls the command and the webhook with the run summary, and a failing hook only leaves a warning', async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push(`${req.method} ${req.url} ${body}`);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = project(
        { bad: `source: {path: missing.csv}\n`, good: `source: {path: small.csv}\n` },
        `notify:\n  on: [failure]\n  command: cat > "$SLUICE_RUN_STATUS.json"\n  webhook: http://127.0.0.1:${port}/hook\n`,
      );
      // Not spawnSync: this process must stay free to answer the webhook.
      const r = await sluiceAsync(['run', dir, '--json']);
      const report = JSON.parse(r.stdout) as RunReport;
      expect(report.status).toBe('failed');
      // The command ran in the project folder with the summary on stdin.
      const sent = JSON.parse(readFileSync(join(dir, 'failed.json'), 'utf8'));
      expect(sent).toMatchObject({ runId: report.runId, status: 'failed', project: 't' });
      expect(sent.pipelines.find((p: { name: string }) => p.name === 'bad').error.code).toBe(
        'source',
      );
      expect(got).toHaveLength(1);
      expect(got[0]).toMatch(/^POST \/hook /);
      expect(JSON.parse(got[0].split(' ').slice(2).join(' '))).toMatchObject({
        runId: report.runId,
        status: 'failed',
      });

      // on: [failure] only: a good run calls nothing; an unreachable hook only warns.
      writeFileSync(
        join(dir, 'sluice.yaml'),
        `name: t\nstore: store.db\nnotify:\n  on: [success]\n  webhook: http://127.0.0.1:1/nothing\n`,
      );
      const ok = await sluiceAsync(['run', dir, '--pipeline', 'good', '--json']);
      expect(ok.code).toBe(0);
      const runId = (JSON.parse(ok.stdout) as RunReport).runId;
      expect((await sluiceIn(['logs', runId, '--store', join(dir, 'store.db')])).stdout).toMatch(
        /notification by webhook: http:\/\/127\.0\.0\.1:1\/nothing: /,
      );
      expect(got).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
