/**
 * sluice project, pipeline, preview, metrics, outputs, inspect, add: what the window shows and
 * does for a project, asked of the same service methods (`--json` prints their results).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Result } from '../../src-shared/api/contract';
import { keyCheckWords } from '../../src-shared/key-words';
import { allowPathOption, storeOption, UsageError, wholeNumber } from './common';
import { parseFacets } from './step-profile-command';
import { table } from './format';
import { ask, printJson, projectService, serviceOptions, using } from './service-call';

export interface ProjectFlags {
  data?: string;
  allowPath?: string[];
  store?: string;
  json?: boolean;
}

/** The options every project command takes: where its data and run store are, and --json. */
export function projectCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<project>', 'project folder (with sluice.yaml)');
}

export function withProjectOptions(c: Command, json: string): Command {
  return c
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .option('--json', `print JSON (the result of ${json})`);
}

type Cell = string | number | boolean | null;
const cell = (v: Cell): string => (v === null ? '' : String(v));

function printPage(
  title: string,
  p: Omit<Result<'pipelines.previewRows'>, 'dropped' | 'facets_applied'>,
): void {
  process.stdout.write(`${title} (${p.total.toLocaleString('en-US')} rows)\n`);
  if (p.rows.length)
    process.stdout.write(
      table(
        ['line', ...p.columns.map((c) => `${c.name}:${c.type}`)],
        p.rows.map((r, i) => [String(p.lines[i]), ...r.map(cell)]),
      ) + '\n',
    );
  process.stdout.write('\n');
}

function printPreview(r: Result<'pipelines.preview'>): void {
  process.stdout.write(
    `step ${r.step.index + 1}, ${r.step.kind}${r.step.enabled ? '' : ' (disabled)'}\n\n`,
  );
  printPage('before', { ...r.before, changed: r.before_changed });
  printPage('after', { ...r.after, changed: r.changed });
  if (r.changed.length) process.stdout.write(`${r.changed.length} cells changed on this page\n`);
  if (r.changed_columns.length)
    process.stdout.write(`columns changed over every row: ${r.changed_columns.join(', ')}\n`);
  if (r.dropped_total) {
    process.stdout.write(`${r.dropped_total} rows rejected or removed:\n`);
    process.stdout.write(
      table(
        ['line', 'kind', 'rule', 'reason'],
        r.dropped.map((d) => [String(d.line), d.kind, d.rule, d.reason]),
      ) + '\n',
    );
  }
  if (r.counts) {
    const c = r.counts;
    const n = (x: number): string => x.toLocaleString('en-US');
    const parts = [
      `${n(c.rows_in)} in`,
      `${n(c.rows_out)} out`,
      `${n(c.rows_rejected)} rejected`,
      `${n(c.rows_removed)} removed`,
      ...(c.rows_merged ? [`${n(c.rows_merged)} merged`] : []),
      ...(c.rows_added ? [`${n(c.rows_added)} added`] : []),
      `${n(c.cells_changed)} cells changed`,
    ];
    process.stdout.write(`over every row: ${parts.join(', ')} (${n(c.ms)} ms)\n`);
    for (const [why, count] of Object.entries(c.removed_reasons))
      process.stdout.write(`  removed, ${why}: ${n(count)}\n`);
    for (const w of c.warnings) process.stdout.write(`warning: ${w}\n`);
  }
}

/** What `sluice inspect` prints: how the file reads, the key asked about, columns, the recipe. */
function printInspection(r: Result<'imports.inspect'>): void {
  process.stdout.write(
    `${r.path}: ${r.rows.toLocaleString('en-US')} rows, ${r.encoding} (${r.encoding_reason}), delimiter ${JSON.stringify(r.delimiter)}, ${r.header ? 'header row' : 'no header row'}, suggested key ${r.suggested_key?.join(' + ') ?? 'none'}\n`,
  );
  if (r.key_check)
    process.stdout.write(
      `key ${r.key_check.key.join(' + ')}: ${keyCheckWords(r.key_check, r.rows).words}\n`,
    );
  process.stdout.write('\n');
  process.stdout.write(
    table(
      ['column', 'type', 'fit', 'nulls', 'distinct', 'note'],
      r.columns.map((c) => [
        c.name,
        c.type + (c.formats ? ` (${c.formats.join(' | ')})` : ''),
        `${(c.confidence * 100).toFixed(1)}%`,
        c.null_count,
        c.distinct_count,
        c.note ?? '',
      ]),
    ) + `\n\npipeline ${r.name}${r.exists ? ' (exists already)' : ''} would be:\n${r.yaml}`,
  );
}

export function registerProjectCommands(program: Command): void {
  withProjectOptions(
    projectCommand(program, 'project', "show a project's pipelines, with each one's last run"),
    'project.get',
  ).action(async (dir: string, o: ProjectFlags) => {
    const svc = await projectService(dir, serviceOptions(o));
    const p = await using(svc, () => ask(svc, 'project.get', {}));
    if (o.json) return printJson(p);
    process.stdout.write(`${p.name} (${p.dir}), data in ${p.data_dir}\n\n`);
    process.stdout.write(
      table(
        ['pipeline', 'source', 'after', 'outputs', 'last run', 'status', 'rows out'],
        p.pipelines.map((x) => [
          x.name,
          x.source,
          x.upstream.join(','),
          x.outputs.map((u) => `${u.kind}:${u.target}`).join(', '),
          x.last_run?.run_id ?? '',
          x.last_run?.status ?? '',
          x.last_run ? String(x.last_run.rows_out) : '',
        ]),
      ) + '\n',
    );
  });

  withProjectOptions(
    projectCommand(program, 'pipeline', "print a pipeline's recipe, or check and save a new one")
      .argument('<name>', 'the pipeline')
      .option('--save <file>', 'check this YAML recipe and save it as the pipeline')
      .option(
        '--check <file>',
        'check this YAML recipe against the data without saving it: each problem at its line',
      ),
    'pipelines.get, pipelines.save with --save, pipelines.check with --check',
  ).action(
    async (dir: string, name: string, o: ProjectFlags & { save?: string; check?: string }) => {
      const svc = await projectService(dir, serviceOptions(o));
      await using(svc, async () => {
        if (o.check) {
          const yaml = readFileSync(resolve(o.check), 'utf8');
          const r = await ask(svc, 'pipelines.check', { name, yaml });
          if (!r.ok) process.exitCode = 2;
          if (o.json) return printJson(r);
          for (const p of r.problems)
            process.stderr.write(`${o.check}:${p.line ?? '?'}: ${p.message}\n`);
          if (r.not_checked) process.stdout.write(`${r.not_checked}\n`);
          if (r.ok) process.stdout.write(`${name}: no problems\n`);
          return;
        }
        if (o.save) {
          const yaml = readFileSync(resolve(o.save), 'utf8');
          const r = await ask(svc, 'pipelines.save', { name, yaml });
          return o.json
            ? printJson(r)
            : void process.stdout.write(`saved ${r.name} in ${r.file}\n`);
        }
        const r = await ask(svc, 'pipelines.get', { name });
        return o.json ? printJson(r) : void process.stdout.write(r.yaml);
      });
    },
  );

  withProjectOptions(
    projectCommand(
      program,
      'preview',
      'the data just before and after a step (1-based), what it changed and dropped, over every row',
    )
      .argument('<pipeline>', 'the pipeline')
      .argument('<step>', 'the step, counting from 1', wholeNumber())
      .option('--offset <n>', 'first row of the page (from 0)', wholeNumber(0), 0)
      .option('--limit <n>', 'rows per page', wholeNumber())
      .addOption(
        new Option('--side <side>', 'only this side, for scrolling').choices([
          'before',
          'after',
          'dropped',
        ]),
      )
      .addOption(
        new Option(
          '--find <what>',
          'the next row of --side (default after) at or after --offset the step changed or dropped',
        ).choices(['changed', 'dropped']),
      )
      .option('--recipe <file>', 'preview this unsaved YAML recipe instead of the saved one')
      .option(
        '--facet <COL=VALUE>',
        'with --side before|after or --find: only rows where COL is VALUE (repeatable), or a facet as JSON',
        (v: string, all: string[] = []) => [...all, v],
      ),
    'pipelines.preview, pipelines.previewRows with --side, or pipelines.previewFind with --find',
  ).action(
    async (
      dir: string,
      pipeline: string,
      step: number,
      o: ProjectFlags & {
        offset: number;
        limit?: number;
        side?: 'before' | 'after' | 'dropped';
        find?: 'changed' | 'dropped';
        recipe?: string;
        facet?: string[];
      },
    ) => {
      if (o.facet && (o.side === 'dropped' || (o.side === undefined && !o.find)))
        throw new UsageError('--facet filters the rows of --side before or --side after');
      const facets = parseFacets(o.facet ?? []);
      const yaml = o.recipe === undefined ? undefined : readFileSync(resolve(o.recipe), 'utf8');
      const svc = await projectService(dir, serviceOptions(o));
      await using(svc, async () => {
        const at = { name: pipeline, step, offset: o.offset, limit: o.limit, yaml };
        if (o.find) {
          if (o.side === 'dropped') throw new UsageError('--find looks on --side before or after');
          const side = o.side ?? (o.find === 'dropped' ? 'before' : 'after');
          const r = await ask(svc, 'pipelines.previewFind', {
            name: pipeline,
            step,
            side,
            what: o.find,
            from: o.offset,
            yaml,
            facets,
          });
          if (o.json) return printJson(r);
          return void process.stdout.write(
            r.row === null
              ? `no ${o.find} row on the ${side} side from row ${o.offset}${o.facet ? ' among those matching the facets' : ''}\n`
              : `row ${r.row} of the ${side} side${o.facet ? ' among those matching the facets' : ''}\n`,
          );
        }
        if (o.side) {
          const r = await ask(svc, 'pipelines.previewRows', { ...at, side: o.side, facets });
          return o.json ? printJson(r) : printPage(o.side, r);
        }
        const r = await ask(svc, 'pipelines.preview', at);
        return o.json ? printJson(r) : printPreview(r);
      });
    },
  );

  withProjectOptions(
    projectCommand(program, 'metrics', "a project's runs in numbers: totals, success rate, time"),
    'metrics.summary',
  ).action(async (dir: string, o: ProjectFlags) => {
    const svc = await projectService(dir, serviceOptions(o));
    const m = await using(svc, () => ask(svc, 'metrics.summary', {}));
    if (o.json) return printJson(m);
    const pct = m.success_rate === null ? 'none ended' : `${(m.success_rate * 100).toFixed(1)}%`;
    process.stdout.write(
      `${m.runs} runs: ${m.succeeded} succeeded, ${m.failed} failed, ${m.cancelled} cancelled, ${m.interrupted} interrupted (success rate ${pct})\n` +
        `mean duration: ${m.mean_duration_ms === null ? '-' : `${Math.round(m.mean_duration_ms)} ms`}\n` +
        `rows: ${m.rows_in.toLocaleString('en-US')} in, ${m.rows_out.toLocaleString('en-US')} out, ${m.rows_rejected.toLocaleString('en-US')} rejected\n`,
    );
  });

  withProjectOptions(
    projectCommand(program, 'outputs', 'what the pipelines wrote in their last successful runs'),
    'metadata.outputs',
  ).action(async (dir: string, o: ProjectFlags) => {
    const svc = await projectService(dir, serviceOptions(o));
    const r = await using(svc, () => ask(svc, 'metadata.outputs', {}));
    if (o.json) return printJson(r);
    if (!r.items.length)
      return void process.stdout.write('no pipeline of this project has succeeded yet\n');
    process.stdout.write(
      table(
        ['pipeline', 'kind', 'target', 'table', 'rows', 'run', 'finished'],
        r.items.map((x) => [
          x.pipeline,
          x.kind,
          x.target,
          x.table ?? '',
          x.rows,
          x.run_id,
          x.finished_at ?? '',
        ]),
      ) + '\n',
    );
  });

  const importSettings = (c: Command): Command =>
    c
      .option('--encoding <enc>', 'text encoding (default: detect)')
      .addOption(
        new Option('--delimiter <d>', 'field delimiter (default: detect)').choices([
          ',',
          ';',
          '\t',
          '|',
        ]),
      )
      .option('--header', 'the first row names the columns')
      .option('--no-header', 'the first row is data');

  interface Settings {
    encoding?: string;
    delimiter?: ',' | ';' | '\t' | '|';
    header?: boolean;
  }
  const settingsOf = (o: Settings) => ({
    encoding: o.encoding as 'utf-8' | undefined,
    delimiter: o.delimiter,
    header: o.header,
  });

  withProjectOptions(
    importSettings(
      projectCommand(
        program,
        'inspect',
        'what Sluice infers from a CSV file for a project, and the recipe it would write',
      )
        .argument('<file>', 'CSV file (inside the project, its data folder or an allowed folder)')
        .option('--rows <n>', 'rows of sample (default 20)', wholeNumber())
        .option(
          '--key <columns>',
          'check this key (comma-separated) over every row, and write the recipe with it',
        ),
    ),
    'imports.inspect',
  ).action(
    async (
      dir: string,
      file: string,
      o: ProjectFlags & Settings & { rows?: number; key?: string },
    ) => {
      const key = o.key?.split(',').map((k) => k.trim());
      if (key?.some((k) => !k)) throw new UsageError('--key names columns, comma-separated');
      const svc = await projectService(dir, serviceOptions(o));
      const r = await using(svc, () =>
        ask(svc, 'imports.inspect', { path: resolve(file), rows: o.rows, key, ...settingsOf(o) }),
      );
      if (o.json) return printJson(r);
      printInspection(r);
    },
  );

  withProjectOptions(
    importSettings(
      projectCommand(program, 'add', 'add a pipeline for a CSV file to a project')
        .argument('<file>', 'CSV file (inside the project, its data folder or an allowed folder)')
        .option('--name <name>', 'pipeline name (default: from the file name)')
        .option('--key <columns>', 'the key, comma-separated (default: the suggested one)')
        .option('--no-key', 'no key')
        .option('--replace', 'replace a pipeline of that name'),
    ),
    'imports.create',
  ).action(
    async (
      dir: string,
      file: string,
      o: ProjectFlags & Settings & { name?: string; key?: string | false; replace?: boolean },
    ) => {
      const key = o.key === false ? null : o.key === undefined ? undefined : o.key.split(',');
      const svc = await projectService(dir, serviceOptions(o));
      const r = await using(svc, () =>
        ask(svc, 'imports.create', {
          path: resolve(file),
          name: o.name,
          key,
          replace: o.replace === true,
          ...settingsOf(o),
        }),
      );
      if (o.json) return printJson(r);
      process.stdout.write(`wrote pipeline ${r.name} in ${r.file}\n`);
    },
  );
}
