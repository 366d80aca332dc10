/** sluice demo (the example project on generated data) and sluice bench (1M-row benchmark). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import { planPipeline } from '../engine/pipeline';
import { openCsv } from '../io/csv-read';
import { loadProject } from '../io/recipe-load';
import { runProject } from '../orchestrator/run-project';
import { runPipeline } from '../orchestrator/run-pipeline';
import { projectResources } from '../orchestrator/resources';
import { openStore } from '../store/sqlite-store';
import { writeBenchSales } from '../demo/bench-data';
import { writeSampleData } from '../demo/sample-data';
import { storeOption } from './common';
import { exitCodeOf, printRunSummary } from './run-commands';
import { progressPrinter } from './progress';
import { table } from './format';

export const EXAMPLE_PROJECT = fileURLToPath(
  new URL('../../config/examples/global-electronics', import.meta.url),
);
const SLUICE_BIN = fileURLToPath(new URL('./sluice.mjs', import.meta.url));

/** The benchmark's cleaning work: the same as resources/bench/pandas_baseline.py. */
export const BENCH_PIPELINE = Pipeline.parse({
  name: 'bench_sales',
  source: { path: 'sales.csv', encoding: 'utf-8', delimiter: ',', header: true },
  steps: [
    { step: 'trim' },
    { step: 'nullify' },
    {
      step: 'parse_dates',
      columns: ['Order Date', 'Delivery Date'],
      formats: ['M/d/yyyy', 'MM-dd-yyyy'],
    },
    { step: 'parse_numbers', columns: ['Unit Price'], on_invalid: 'null' },
    {
      step: 'cast',
      columns: {
        'Order Number': 'int',
        'Line Item': 'int',
        CustomerKey: 'int',
        StoreKey: 'int',
        ProductKey: 'int',
        Quantity: 'int',
      },
    },
    { step: 'dedupe', key: ['Order Number', 'Line Item'] },
    { step: 'fill_missing', columns: { Quantity: 'mean' } },
    { step: 'filter', where: 'Quantity > 0' },
  ],
  outputs: [{ kind: 'csv', path: 'sales_clean.csv' }],
});

interface PhaseResult {
  phase: string;
  rows: number;
  rowsOut: number;
  ms: number;
  rowsPerSec: number;
  peakMB: number;
}

async function runPhase(phase: string, file: string): Promise<PhaseResult> {
  const t0 = performance.now();
  let rows = 0;
  let rowsOut = 0;
  if (phase === 'read') {
    const src = await openCsv(file, BENCH_PIPELINE.source);
    for await (const b of src.batches(() => undefined)) rows += b.length;
    rowsOut = rows;
  } else if (phase === 'clean') {
    const src = await openCsv(file, BENCH_PIPELINE.source);
    const planned = planPipeline(
      BENCH_PIPELINE.steps,
      src.info.columns.map((name) => ({ name, type: 'string' as const })),
      {
        onOutput: (b) => (rowsOut += b.length),
      },
    );
    for await (const b of src.batches(() => undefined)) planned.push(b);
    planned.finish();
    rows = src.stats.rowsRead;
  } else {
    const dir = join(tmpdir(), `sluice-bench-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const store = openStore(join(dir, 'store.db'));
    try {
      store.createRun({
        id: 'bench',
        project: 'bench',
        projectDir: dir,
        recipeHash: '',
        startedAt: new Date().toISOString(),
      });
      const report = await runPipeline({
        projectDir: dir,
        resources: projectResources(dir, dir, []),
        pipeline: { ...BENCH_PIPELINE, source: { ...BENCH_PIPELINE.source, path: file } },
        maxRejectRate: 1,
        store,
        runId: 'bench',
        taskId: store.createTask('bench', 'bench_sales', '', new Date().toISOString()),
      });
      if (report.status !== 'succeeded') throw new Error(report.error?.message);
      rows = report.rowsIn;
      rowsOut = report.rowsOut;
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ms = performance.now() - t0;
  return {
    phase,
    rows,
    rowsOut,
    ms: Math.round(ms),
    rowsPerSec: Math.round((rows * 1000) / ms),
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export function registerDevCommands(program: Command): void {
  program
    .command('demo')
    .description('generate sample data for the example project and run it')
    .option('--project <dir>', 'project to run', EXAMPLE_PROJECT)
    .option('--regenerate', 'write the sample data again even if it exists')
    .addOption(storeOption())
    .action(async (o: { project: string; regenerate?: boolean; store?: string }) => {
      const project = await loadProject(o.project);
      const dataDir = resolve(project.dir, project.project.data);
      if (o.regenerate || !existsSync(join(dataDir, 'Sales.csv'))) {
        const counts = await writeSampleData(dataDir);
        process.stdout.write(
          `sample data written to ${dataDir}: ${counts.customers} customers, ${counts.products} products, ${counts.stores} stores, ` +
            `${counts.exchangeRates} exchange rates, ${counts.sales} sales lines (with ${counts.duplicates.customers} + ${counts.duplicates.sales} duplicated rows)\n\n`,
        );
      }
      const progress = progressPrinter();
      const report = await runProject(project, {
        storePath: o.store,
        onProgress: (p) => progress.update(p),
        onPipelineDone: () => progress.done(),
      });
      printRunSummary(report);
      process.stdout.write(
        `\nsee it again with: npx sluice runs${o.store ? ` --store ${o.store}` : ''}\n`,
      );
      process.exitCode = exitCodeOf(report);
    });

  program
    .command('bench')
    .description(
      'benchmark reading, cleaning and writing a generated 1,000,000-row dirty sales file',
    )
    .option('--rows <n>', 'rows to generate', (v) => Number(v), 1_000_000)
    .option('--file <csv>', 'use this file instead of generating one')
    .option('--json', 'print JSON')
    .action(async (o: { rows: number; file?: string; json?: boolean }) => {
      let file = o.file ? resolve(o.file) : join(tmpdir(), 'sluice-bench', `sales-${o.rows}.csv`);
      if (!existsSync(file)) {
        mkdirSync(join(tmpdir(), 'sluice-bench'), { recursive: true });
        process.stderr.write(`generating ${o.rows.toLocaleString('en-US')} rows into ${file}...\n`);
        await writeBenchSales(file, o.rows);
      }
      file = resolve(file);
      const mb = statSync(file).size / 1e6;
      const results: PhaseResult[] = [];
      for (const phase of ['read', 'clean', 'full']) {
        // Each phase in its own process, so that peak memory is that phase's alone.
        const r = spawnSync(process.execPath, [SLUICE_BIN, 'bench-phase', phase, file], {
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`bench phase ${phase} failed: ${r.stderr}`);
        results.push(JSON.parse(r.stdout) as PhaseResult);
      }
      const pandas = spawnSync(
        'python3',
        [
          fileURLToPath(new URL('../../resources/bench/pandas_baseline.py', import.meta.url)),
          file,
          join(tmpdir(), 'sluice-bench', 'pandas_out.csv'),
        ],
        { encoding: 'utf8' },
      );
      const pd =
        pandas.status === 0
          ? (JSON.parse(pandas.stdout.trim().split('\n').pop()!) as {
              rowsIn: number;
              rowsOut: number;
              seconds: number;
              peakMB: number;
            })
          : null;
      if (o.json) {
        process.stdout.write(
          JSON.stringify({ file, megabytes: Math.round(mb), results, pandas: pd }, null, 2) + '\n',
        );
        return;
      }
      process.stdout.write(
        `${file}: ${results[0].rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB\n\n`,
      );
      const rowsOf = (r: PhaseResult) => [
        r.phase === 'read'
          ? 'read (parse only)'
          : r.phase === 'clean'
            ? 'read + clean'
            : 'read + clean + write CSV',
        (r.ms / 1000).toFixed(2),
        r.rowsPerSec,
        r.peakMB,
        r.rowsOut,
      ];
      const rows = results.map(rowsOf);
      if (pd)
        rows.push([
          'pandas, read + clean + write CSV',
          pd.seconds.toFixed(2),
          Math.round(pd.rowsIn / pd.seconds),
          pd.peakMB,
          pd.rowsOut,
        ]);
      process.stdout.write(
        table(['work', 'seconds', 'rows/s', 'peak MB', 'rows out'], rows) + '\n',
      );
      const full = results[2];
      if (pd)
        process.stdout.write(
          `\nthroughput against pandas: ${(pd.seconds / (full.ms / 1000)).toFixed(2)}x\n`,
        );
      else
        process.stdout.write(
          '\npandas is not installed here (python3 -c "import pandas" fails), so there is no side-by-side figure.\n',
        );
    });

  program
    .command('bench-phase', { hidden: true })
    .argument('<phase>')
    .argument('<file>')
    .action(async (phase: string, file: string) => {
      process.stdout.write(JSON.stringify(await runPhase(phase, file)) + '\n');
    });
}
