/**
 * sluice columns, expr, join-counts: what the window's step forms ask while a recipe is being
 * written (each step's columns, an expression's type and problems, how a join's keys meet),
 * asked of the same service methods; and sluice explain, the SQL a recipe compiles to.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, wholeNumber } from './common';
import { table } from './format';
import { projectCommand, withProjectOptions, type ProjectFlags } from './project-commands';
import { ask, printJson, projectService, serviceOptions, using } from './service-call';

type WithRecipe = ProjectFlags & { recipe?: string };

const recipeOption = (c: Command): Command =>
  c.option('--recipe <file>', 'ask of this unsaved YAML recipe instead of the saved one');
const yamlOf = (o: WithRecipe): string | undefined =>
  o.recipe === undefined ? undefined : readFileSync(resolve(o.recipe), 'utf8');
const columnList = (cols: { name: string; type: string }[]): string =>
  cols.map((c) => `${c.name}:${c.type}`).join(', ');

export function registerFormCommands(program: Command): void {
  withProjectOptions(
    recipeOption(
      projectCommand(
        program,
        'columns',
        "each step's input and output columns and types, from the recipe alone (no rows run)",
      ).argument('<pipeline>', 'the pipeline'),
    ),
    'pipelines.columns',
  ).action(async (dir: string, pipeline: string, o: WithRecipe) => {
    const svc = await projectService(dir, serviceOptions(o));
    const r = await using(svc, () =>
      ask(svc, 'pipelines.columns', { name: pipeline, yaml: yamlOf(o) }),
    );
    if (o.json) return printJson(r);
    process.stdout.write(`source: ${columnList(r.source)}\n`);
    process.stdout.write(
      table(
        ['step', 'kind', 'columns after it', 'problem'],
        r.steps.map((s) => [
          String(s.index),
          s.enabled ? s.kind : `${s.kind} (disabled)`,
          columnList(s.output),
          s.problem ?? '',
        ]),
      ) + '\n',
    );
  });

  withProjectOptions(
    projectCommand(
      program,
      'explain',
      "the SQL a pipeline's steps compile to for PostgreSQL, or the steps that run only locally",
    ).requiredOption('--pipeline <name>', 'the pipeline'),
    'pipelines.explain',
  ).action(async (dir: string, o: ProjectFlags & { pipeline: string }) => {
    const svc = await projectService(dir, serviceOptions(o));
    const r = await using(svc, () => ask(svc, 'pipelines.explain', { name: o.pipeline }));
    if (r.sql === null) process.exitCode = EXIT.usage;
    if (o.json) return printJson(r);
    if (r.sql === null) return void process.stderr.write(r.local_only.join('\n') + '\n');
    // A file's relation is a run's own: a temporary table of its session, staged with COPY as
    // it starts; a PostgreSQL source is read where it is.
    const reads = r.inputs
      .map(
        (x) =>
          `--   ${x.relation} <- ${x.input}` +
          (x.relation.startsWith('pg_temp.') ? ' (staged by the run with COPY)' : ''),
      )
      .join('\n');
    process.stdout.write(`-- ${o.pipeline} reads:\n${reads}\n${r.sql};\n`);
  });

  withProjectOptions(
    recipeOption(
      projectCommand(
        program,
        'expr',
        'check an expression as a step (1-based) would: its type, or its problems and where',
      )
        .argument('<pipeline>', 'the pipeline')
        .argument('<step>', 'the step, counting from 1', wholeNumber())
        .argument('<expression>', 'the expression, e.g. "[Unit Price] * Quantity"')
        .option('--column <name>', "a derive step's column it computes (earlier ones are known)"),
    ),
    'pipelines.checkExpression',
  ).action(
    async (
      dir: string,
      pipeline: string,
      step: number,
      expression: string,
      o: WithRecipe & { column?: string },
    ) => {
      const svc = await projectService(dir, serviceOptions(o));
      const r = await using(svc, () =>
        ask(svc, 'pipelines.checkExpression', {
          name: pipeline,
          step,
          expression,
          column: o.column,
          yaml: yamlOf(o),
        }),
      );
      if (o.json) return printJson(r);
      if (!r.errors.length) return void process.stdout.write(`ok: ${r.type}\n`);
      for (const e of r.errors)
        process.stdout.write(
          `${expression}\n${' '.repeat(e.from)}${'^'.repeat(Math.max(1, e.to - e.from))} ${e.message}\n`,
        );
      process.exitCode = 1;
    },
  );

  withProjectOptions(
    recipeOption(
      projectCommand(
        program,
        'join-counts',
        "how a join step's keys meet over every row: matched, left-only and right-only rows",
      )
        .argument('<pipeline>', 'the pipeline')
        .argument('<step>', 'the join step, counting from 1', wholeNumber()),
    ),
    'pipelines.joinCounts',
  ).action(async (dir: string, pipeline: string, step: number, o: WithRecipe) => {
    const svc = await projectService(dir, serviceOptions(o));
    const r = await using(svc, () =>
      ask(svc, 'pipelines.joinCounts', { name: pipeline, step, yaml: yamlOf(o) }),
    );
    if (o.json) return printJson(r);
    const n = (v: number): string => v.toLocaleString('en-US');
    process.stdout.write(
      `${n(r.left_rows)} rows in: ${n(r.matched)} matched, ${n(r.left_only)} left only; ` +
        `${n(r.right_only)} right rows never matched; ${n(r.fan_out_rows)} rows added by fan-out; ` +
        `${n(r.right_duplicate_keys)} keys repeated on the right\n`,
    );
  });
}
