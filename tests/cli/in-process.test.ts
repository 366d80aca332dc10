/**
 * `main()` called in-process answers as the `sluice` process does, and leaves the process as it
 * found it: its streams, its exit code, its signal handlers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import { sluice, sluiceIn } from '../helpers/cli';
import { makeProject } from '../helpers/project';

const project = (): string =>
  makeProject(
    {
      ok: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/ok.csv}\n',
      bad: 'source: {path: missing.csv}\n',
    },
    { name: 'inproc', smallCsv: 'id,v\n1,a\n2,b\n' },
  );

describe('main() in-process', () => {
  it('gives the same output and exit code as the sluice process', async () => {
    const dir = project();
    const store = join(dir, 'store.db');
    const run = ['run', dir, '--pipeline', 'bad', '--only', '--store', store];
    const [child, inProcess] = [sluice(run), await sluiceIn(run)];
    expect([inProcess.code, inProcess.stderr]).toEqual([child.code, child.stderr]);
    expect(inProcess.code).toBe(1);
    const error = /bad failed \(source\): .*missing\.csv: file not found/;
    expect(child.stdout).toMatch(error);
    expect(inProcess.stdout).toMatch(error);
    // (Each child process costs seconds on a busy machine: two more, chosen to differ.)
    for (const args of [
      ['runs', '--store', store, '--json', '--status', 'failed'],
      ['frobnicate'],
    ]) {
      const [c, i] = [sluice(args), await sluiceIn(args)];
      expect(i, args.join(' ')).toEqual(c);
    }
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(await sluiceIn(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await sluiceIn(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sluice \[options\] \[command\]/);
  }, 180_000);

  it('leaves no exit code, signal handler or stream of its own behind', async () => {
    const dir = project();
    const stdout = process.stdout;
    const sigint = process.listenerCount('SIGINT');
    const failed = await sluiceIn(['run', dir]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/bad\s+failed/);
    expect(process.exitCode).toBeUndefined();
    expect(process.listenerCount('SIGINT')).toBe(sigint);
    expect(process.stdout).toBe(stdout);
    // A usage error after a failed run is still 2: nothing carries over between calls.
    expect((await sluiceIn(['runs', '--page-size', '500'])).code).toBe(2);
    expect((await sluiceIn(['runs', '--store', join(dir, 'store.db')])).code).toBe(0);
  });

  it('writes only to the streams it is given, even with calls overlapping', async () => {
    const dir = project();
    writeFileSync(join(dir, 'small.csv'), 'id,v\n1,a\n');
    const a = { out: '', err: '' };
    const b = { out: '', err: '' };
    const io = (x: { out: string; err: string }) => ({
      stdout: { write: (s: string | Uint8Array) => ((x.out += String(s)), true) },
      stderr: { write: (s: string | Uint8Array) => ((x.err += String(s)), true) },
    });
    const [ca, cb] = await Promise.all([
      main(['node', 'sluice', 'run', dir, '--pipeline', 'ok', '--only'], io(a)),
      main(['node', 'sluice', 'validate', join(dir, 'nowhere')], io(b)),
    ]);
    expect(ca).toBe(0);
    expect(a.out).toMatch(/ok\s+succeeded\s+1\s+1/);
    expect(a.err).toBe('');
    expect(cb).toBe(2);
    expect(b.out).toBe('');
    expect(b.err).toMatch(/nowhere/);
  });
});
