/**
 * The end-to-end half of `sluice bench`: the zero-config clean (`sluice import` then `sluice
 * run`, each a process timed from start to exit, and the two as one `sluice import --run`) and, with --compare, the same clean in pandas,
 * DuckDB (2 threads) and polars where a python on this machine has them; then start-up against
 * bare node. Every process runs under resources/bench/measure.py, so all are measured alike.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const BENCH = fileURLToPath(new URL('../../resources/bench/', import.meta.url));
const PYTHONS = ['python3', '/usr/bin/python3'];
export const PEERS = ['duckdb', 'polars', 'pandas'] as const;

export interface Measured {
  seconds: number;
  /** CPU seconds in user mode, every thread (steadier than wall time on a busy machine). */
  userSeconds: number;
  peakMB: number;
}

export interface EndToEnd {
  /** The sluice that ran: this process's own entry script. */
  sluice: {
    import: Measured;
    run: Measured;
    total: Measured;
    /** `sluice import --run`: both in one process (its output checked byte for byte). */
    oneProcess: Measured;
    rowsOut: number;
    key: string[];
  };
  peers: ({ tool: string; version: string; rowsOut: number } & Measured)[];
  /** Peers not measured, and why. */
  missing: string[];
  /** `sluice --version` and `node -e 0`, when measured (once, with the first size). */
  startup: { sluice: number; node: number } | null;
}

/** Runs a command under measure.py; throws with its stderr when it fails. */
function measured(cmd: string[], python = 'python3'): Measured & { stdout: string } {
  const r = spawnSync(python, [join(BENCH, 'measure.py'), ...cmd], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const lines = (r.stderr ?? '').trim().split('\n');
  const last = lines.pop() ?? '';
  let m: Measured & { status: number };
  try {
    m = JSON.parse(last) as typeof m;
  } catch {
    throw new Error(`cannot measure ${cmd[0]}: ${r.error?.message ?? last}`);
  }
  if (m.status !== 0) {
    // sluice's own line says why; a stack's last frames would not.
    const why = lines.find((l) => l.startsWith('sluice:')) ?? lines.slice(-3).join(' ');
    throw new Error(`${cmd.join(' ')} exited ${m.status}: ${why}`);
  }
  return { seconds: m.seconds, userSeconds: m.userSeconds, peakMB: m.peakMB, stdout: r.stdout };
}

function measuredOnly(m: Measured): Measured {
  return { seconds: m.seconds, userSeconds: m.userSeconds, peakMB: m.peakMB };
}

/** The first python here that can import `module`, or null. */
export function pythonWith(module: string): string | null {
  for (const py of PYTHONS) {
    const r = spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

/** What a peer reported for one of the in-process phases (peers.py --phase). */
export interface PeerPhase {
  tool: string;
  version: string;
  rowsIn: number;
  rowsOut: number;
  /** From interpreter start (imports included) to the result. */
  seconds: number;
  peakMB: number;
}

/**
 * The work of an in-process phase (clean, groupby or join) by `tool` on `file`, or why it was
 * not measured.
 */
export function peerPhase(
  tool: string,
  phase: string,
  file: string,
  products: string,
  key: string[],
): PeerPhase | { tool: string; missing: string } {
  const py = pythonWith(tool);
  if (!py) return { tool, missing: 'no python here imports it' };
  const work = mkdtempSync(join(tmpdir(), 'sluice-bench-peer-'));
  try {
    const r = spawnSync(
      py,
      [
        join(BENCH, 'peers.py'),
        tool,
        file,
        join(work, 'out.csv'),
        ...key,
        '--phase',
        phase,
        products,
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (r.status !== 0)
      return { tool, missing: `peers.py failed: ${r.stderr.trim().split('\n').pop()}` };
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerPhase;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** How a peer's time compares with Sluice's, in words. */
export function versus(peerSeconds: number, sluiceSeconds: number): string {
  return peerSeconds < sluiceSeconds
    ? `Sluice ${(sluiceSeconds / peerSeconds).toFixed(2)}x slower`
    : `Sluice ${(peerSeconds / sluiceSeconds).toFixed(2)}x faster`;
}

function md5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

/** Data rows in a CSV file with a header and no line breaks inside cells. */
function csvRows(path: string): number {
  const text = readFileSync(path);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
  return n - 1;
}

/** Median of `times` runs of a command, in seconds (start-up is short and noisy). */
function median(cmd: string[], times = 7): number {
  const s = Array.from({ length: times }, () => {
    const t = performance.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}`);
    return (performance.now() - t) / 1000;
  }).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The dedupe key of the recipe `sluice import` wrote (the peers de-duplicate on the same). */
function generatedKey(project: string): string[] {
  const dir = join(project, 'pipelines');
  const recipe = parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as {
    steps: { step: string; key?: string[] }[];
  };
  const key = recipe.steps.find((s) => s.step === 'dedupe')?.key;
  if (!key) throw new Error('the generated recipe has no dedupe step with a key');
  return key;
}

/** The zero-config clean of `file` by this sluice and, with `compare`, by its peers. */
export function endToEnd(file: string, compare: boolean, startup = true): EndToEnd {
  if (!pythonWith('json')) throw new Error('the end-to-end phase needs python3 (to measure)');
  const self = [process.execPath, ...process.execArgv, process.argv[1]];
  const work = mkdtempSync(join(tmpdir(), 'sluice-bench-e2e-'));
  try {
    const project = join(work, 'project');
    const imp = measured([...self, 'import', file, '--into', project]);
    // A scratch run store: benchmarking adds nothing to the user's run history.
    const run = measured([...self, 'run', project, '--store', join(work, 'store.db')]);
    const key = generatedKey(project);
    const out = join(project, 'out', readdirSync(join(project, 'out'))[0]);
    // The same clean as one command: the run follows the import in its process.
    const single = join(work, 'one-process');
    const one = measured([
      ...self,
      'import',
      file,
      '--into',
      single,
      '--run',
      '--store',
      join(work, 'one.db'),
    ]);
    const oneOut = join(single, 'out', readdirSync(join(single, 'out'))[0]);
    if (md5(oneOut) !== md5(out))
      throw new Error(
        `sluice import --run wrote another ${oneOut} than import and run did (${out})`,
      );
    const sluice = {
      import: measuredOnly(imp),
      run: measuredOnly(run),
      total: {
        seconds: imp.seconds + run.seconds,
        userSeconds: imp.userSeconds + run.userSeconds,
        peakMB: Math.max(imp.peakMB, run.peakMB),
      },
      oneProcess: measuredOnly(one),
      rowsOut: csvRows(out),
      key,
    };
    const peers: EndToEnd['peers'] = [];
    const missing: string[] = [];
    for (const tool of compare ? PEERS : []) {
      const py = pythonWith(tool);
      if (!py) {
        missing.push(`${tool} (no python here imports it)`);
        continue;
      }
      const dst = join(work, `${tool}.csv`);
      const { stdout, ...m } = measured([py, join(BENCH, 'peers.py'), tool, file, dst, ...key], py);
      const said = JSON.parse(stdout.trim().split('\n').pop()!) as {
        version: string;
        rowsOut: number;
      };
      peers.push({ tool, version: said.version, rowsOut: said.rowsOut, ...m });
      rmSync(dst, { force: true });
    }
    return {
      sluice,
      peers,
      missing,
      startup: startup
        ? { sluice: median([...self, '--version']), node: median([process.execPath, '-e', '0']) }
        : null,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The end-to-end figures as a table, each peer's time as a ratio to Sluice's. */
export function endToEndTable(
  e: EndToEnd,
  table: (h: string[], rows: (string | number)[][]) => string,
): string {
  const s = e.sluice;
  const row = (
    work: string,
    m: Measured,
    rows: number | string,
    vs: string[] = ['', ''],
  ): (string | number)[] => [
    work,
    m.seconds.toFixed(2),
    m.userSeconds.toFixed(2),
    m.peakMB,
    rows,
    ...vs,
  ];
  const rows = [
    row('sluice import', s.import, ''),
    row('sluice run', s.run, s.rowsOut),
    row('sluice import + run', s.total, s.rowsOut),
    row('sluice import --run', s.oneProcess, s.rowsOut),
    ...e.peers.map((p) =>
      row(
        `${p.tool} ${p.version}${p.tool === 'duckdb' ? ' (2 threads)' : ''}`,
        p,
        p.rowsOut === s.rowsOut ? p.rowsOut : `${p.rowsOut} (Sluice: ${s.rowsOut})`,
        [versus(p.seconds, s.oneProcess.seconds), versus(p.seconds, s.total.seconds)],
      ),
    ),
  ];
  const startup = e.startup;
  return [
    `The zero-config clean, each process from start to exit (de-duplicated on ${s.key.join(' + ')}):`,
    table(
      [
        'work',
        'seconds',
        'user CPU s',
        'peak MB',
        'rows out',
        'vs sluice import --run',
        'vs sluice import + run',
      ],
      rows,
    ),
    ...(e.missing.length ? [`not measured: ${e.missing.join('; ')}`] : []),
    ...(startup
      ? [
          `start-up (median of 7): sluice --version ${startup.sluice.toFixed(3)} s, node -e 0 ${startup.node.toFixed(3)} s: ${(startup.sluice - startup.node).toFixed(3)} s more than bare node`,
        ]
      : []),
    '',
  ].join('\n');
}

/** The clean at two sizes side by side, with each one's seconds per million rows out. */
export function scaleTable(
  small: EndToEnd,
  large: EndToEnd,
  table: (h: string[], rows: (string | number)[][]) => string,
): string {
  const rows: (string | number)[][] = [];
  for (const e of [small, large])
    for (const [work, m] of [
      ['sluice import', e.sluice.import],
      ['sluice run', e.sluice.run],
      ['sluice import --run', e.sluice.oneProcess],
    ] as const)
      rows.push([
        work,
        e.sluice.rowsOut,
        m.seconds.toFixed(2),
        m.userSeconds.toFixed(2),
        m.peakMB,
        ((m.seconds * 1e6) / e.sluice.rowsOut).toFixed(2),
        ((m.userSeconds * 1e6) / e.sluice.rowsOut).toFixed(2),
      ]);
  return [
    'The same clean at two sizes (time should grow with the rows, memory should not):',
    table(
      ['work', 'rows out', 'seconds', 'user CPU s', 'peak MB', 's per 1M rows', 'CPU s per 1M'],
      rows,
    ),
    '',
  ].join('\n');
}
