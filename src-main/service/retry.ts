/**
 * `sluice rejects <run> --retry`: loads again the rows a database refused in a run, once the
 * cause is fixed (a missing parent row, a constraint relaxed). Rows go to the same output with
 * the recipe as it is now; a `full` output is appended to, never replaced by the retried rows.
 * Rows that load are marked retried; rows refused again stay open.
 */
import { join } from 'node:path';
import { runConnections } from '../io/saved-connections';
import type { PathPolicy } from '../io/confine';
import type { Output } from '../../src-shared/recipe/pipeline';
import { textConversion } from '../engine/convert-text';
import { planPipeline } from '../engine/pipeline';
import { sideName, sidesOf } from '../engine/step';
import { numColumn, textColumn, type Batch, type Column, type Field } from '../engine/table';
import { openCsv } from '../io/csv-read';
import { loadProject, type LoadedProject } from '../io/recipe-load';
import { inferColumns } from '../io/typed-read';
import { pathPolicy } from '../orchestrator/path-policy';
import { projectResources } from '../orchestrator/resources';
import { parseTarget, targetConnection, toPostgres } from '../orchestrator/retarget';
import { createSink } from '../sinks/index';
import type { RecordsStore, RunsStore, StoredReject } from '../store/store';
import { ownValue } from '../../src-shared/recipe/bare-record';

export interface RetryResult {
  pipeline: string;
  step: string;
  retried: number;
  loaded: number;
  stillRefused: number;
}

export class RetryError extends Error {}

/** The output columns of a pipeline as the recipe now makes them. */
async function outputFields(
  project: LoadedProject,
  paths: PathPolicy,
  name: string,
): Promise<{ fields: Field[]; outputs: Output[] }> {
  const lp = project.pipelines.find((p) => p.pipeline.name === name);
  if (!lp) throw new RetryError(`the project has no pipeline "${name}" any more`);
  const p = lp.pipeline;
  const resources = projectResources(paths, project.pipelines);
  const path = resources.sourcePath(p);
  const input = p.source.pipeline
    ? (await inferColumns(path)).map(({ name: n, type }) => ({ name: n, type }))
    : (await openCsv(path, p.source)).info.columns.map((n) => ({
        name: n,
        type: 'string' as const,
      }));
  const sides = new Map<string, Batch>();
  for (const ref of sidesOf(p.steps)) sides.set(sideName(ref), await resources.loadSide(ref));
  const planned = planPipeline(
    p.steps,
    input,
    { onOutput: () => undefined },
    { side: (ref) => sides.get(sideName(ref))! },
  );
  return { fields: planned.fields, outputs: p.outputs };
}

/** Rebuilds typed rows from the records kept with the rejects (dates as ISO text). */
function batchOf(rows: StoredReject[], fields: Field[]): Batch {
  const n = rows.length;
  const columns: Column[] = fields.map((f) => {
    if (f.type === 'string')
      // A text column holds text: a record kept as a number (the column's type changed since,
      // or the value was typed when refused) comes back as its text, as the sinks expect.
      return textColumn(
        rows.map((r) => {
          const v = ownValue(r.record, f.name);
          return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
        }),
      );
    const col = numColumn(n);
    const parse = f.type === 'date' || f.type === 'datetime' ? textConversion(f.type) : null;
    rows.forEach((r, i) => {
      // Own keys only: a record without a column called constructor has no such value.
      const v = ownValue(r.record, f.name);
      const x =
        v === null || v === undefined
          ? null
          : typeof v === 'boolean'
            ? +v
            : typeof v === 'number'
              ? v
              : parse
                ? parse(String(v))
                : Number(v);
      if (x !== null && Number.isFinite(x)) {
        col.values[i] = x;
        col.valid[i] = 1;
      }
    });
    return col;
  });
  const line = Int32Array.from(rows.map((r) => r.line));
  return { fields, columns, length: n, line, lineEnd: Int32Array.from(rows.map((r) => r.lineEnd)) };
}

export interface RetryOptions {
  data?: string;
  allow?: string[];
  /** A connection's password from the desktop app's keychain (the environment still wins). */
  password?(connection: string): string | undefined;
}

export async function retryRejects(
  store: RunsStore & RecordsStore,
  runId: string,
  opts: RetryOptions = {},
): Promise<RetryResult[]> {
  const run = store.getRun(runId);
  if (!run) throw new RetryError(`no run ${runId} in ${store.path}`);
  const recorded = parseTarget(run.run.target);
  if (recorded === null)
    throw new RetryError(
      `run ${runId} recorded its target as "${run.run.target}", which is not sqlite, postgres or postgres:<connection>`,
    );
  const open = store
    .rejects(runId)
    .items.filter(
      (r) => r.status === 'open' && r.kind === 'rejected' && r.step.startsWith('load '),
    );
  if (open.length === 0) return [];
  const project = await loadProject(run.run.projectDir);
  const paths = pathPolicy(project, {
    dataDir: opts.data,
    storePath: store.path,
    allow: opts.allow,
  });
  const groups = new Map<string, StoredReject[]>();
  for (const r of open) {
    const k = `${r.pipeline}\u0001${r.step}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const results: RetryResult[] = [];
  for (const [k, rows] of groups) {
    rows.sort((a, b) => a.line - b.line); // in source order, as the run met them
    const [pipeline, step] = k.split('\u0001');
    const table = step.slice('load '.length);
    const { fields, outputs } = await outputFields(project, paths, pipeline);
    // A run with --target postgres (or --connection) loaded its sqlite outputs into PostgreSQL:
    // retry there too, into the connection it recorded.
    const ranAs = run.report?.pipelines
      .find((p) => p.name === pipeline)
      ?.outputs.find((o) => o.table === table)?.kind;
    const found = outputs.find((o) => o.kind !== 'csv' && o.table === table);
    const target =
      found && ranAs === 'postgres' ? toPostgres(found, targetConnection(recorded)) : found;
    if (!target || target.kind === 'csv')
      throw new RetryError(`pipeline ${pipeline} no longer loads table ${table}`);
    const refused = new Set<number>();
    const output = {
      ...target,
      mode: target.mode === 'full' ? ('append' as const) : target.mode,
      on_violation: 'skip' as const,
    };
    const sink = createSink(output, {
      place: (path) => projectResources(paths, project.pipelines).outputPath(path),
      defaultDatabase: join(project.dir, 'out', `${project.project.name}.sqlite`),
      connections: runConnections(project.project.connections),
      passwords: passwordsFor(output, opts.password),
      runId,
      pipeline,
      retry: true,
      reject: (_b, row) => refused.add(rows[row].id),
      rejectRecord: (r) => {
        const hit = rows.find((x) => x.line === r.line);
        if (hit) refused.add(hit.id);
      },
    });
    await sink.open(fields);
    try {
      sink.write(batchOf(rows, fields));
      await sink.flush?.();
      await sink.commit();
    } catch (e) {
      await sink.abort();
      throw e;
    }
    const loaded = rows.filter((r) => !refused.has(r.id));
    store.setRejectStatus(
      loaded.map((r) => r.id),
      'retried',
    );
    store.log(
      runId,
      null,
      'info',
      `retry of ${step} for ${pipeline}: ${loaded.length} of ${rows.length} rows loaded`,
    );
    results.push({
      pipeline,
      step,
      retried: rows.length,
      loaded: loaded.length,
      stillRefused: rows.length - loaded.length,
    });
  }
  return results;
}

/** The keychain's password of the connection a retried load goes to, looked up only for it. */
function passwordsFor(
  o: Output,
  lookup: RetryOptions['password'],
): Record<string, string> | undefined {
  if (o.kind !== 'postgres' || !lookup) return undefined;
  const pw = lookup(o.connection);
  return pw === undefined ? undefined : { [o.connection]: pw };
}
