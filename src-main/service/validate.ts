/**
 * Checks a project: the dependency graph, and every recipe against the real columns of its
 * source. Pipelines that read another pipeline's output can be checked only once it is written.
 */
import { existsSync } from 'node:fs';
import { planPipeline } from '../engine/pipeline';
import { localOnlySteps, type SqlRelation } from '../engine/sql/compile';
import { sideName, sidesOf, StepConfigError } from '../engine/step';
import type { Batch, Field } from '../engine/table';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { runConnections } from '../io/saved-connections';
import { openCsv, SourceError } from '../io/csv-read';
import type { LoadedProject } from '../io/recipe-load';
import { inferColumns } from '../io/typed-read';
import { orderPipelines } from '../orchestrator/graph';
import { pathPolicy } from '../orchestrator/path-policy';
import { checkRecipePaths, projectResources, RecipePathError } from '../orchestrator/resources';
import { connectionFor, defaultDatabaseOf, sameTarget } from '../sinks/index';
import { postgresSourceColumns, PostgresSourceError } from '../sinks/postgres-source';
import { SinkError } from '../sinks/sink';

type Resources = ReturnType<typeof projectResources>;

/** A PostgreSQL source's columns, asked of its server (serverColumns). */
export type ServerColumns = (
  source: NonNullable<Pipeline['source']['postgres']>,
) => Promise<Field[]>;

/**
 * Reads PostgreSQL sources' columns from their servers through the project's connections (and
 * a saved connection's password from `password`), as a run would reach them.
 */
export function serverColumns(
  project: LoadedProject,
  password?: (connection: string) => string | undefined,
): ServerColumns {
  const connections = runConnections(project.project.connections);
  return async (source) => {
    const pw = password?.(source.connection);
    const passwords = pw === undefined ? undefined : { [source.connection]: pw };
    return postgresSourceColumns({
      ...source,
      ...connectionFor(source.connection, { connections, passwords }),
    });
  };
}

/**
 * What a recipe's steps start from: its source's columns and the tables its joins and unions
 * read; or, when another pipeline writes one of them and has not run yet (or a server cannot
 * be asked for a PostgreSQL source's columns), what it waits for.
 */
export async function inputsOf(
  p: Pipeline,
  resources: Resources,
  server?: ServerColumns,
): Promise<{ fields: Field[]; sides: Map<string, Batch> } | { waiting: string[] }> {
  const pg = p.source.postgres;
  let fields: Field[] | null = null;
  if (pg) {
    const what = `PostgreSQL ${pg.table ?? 'query'}`;
    if (!server) return { waiting: [`a run to read ${what}`] };
    try {
      fields = await server(pg);
    } catch (e) {
      if (!(e instanceof PostgresSourceError || e instanceof SinkError)) throw e;
      return { waiting: [`${what}, which could not be read: ${e.message}`] };
    }
  }
  // Inputs that other pipelines write can only be checked once they have run.
  const upstream = [
    ...(p.source.pipeline ? [{ pipeline: p.source.pipeline }] : []),
    ...sidesOf(p.steps).filter((r) => 'pipeline' in r),
  ].filter((r) => !existsSync(resources.sidePath(r)));
  if (upstream.length) return { waiting: upstream.map(sideName) };
  if (!fields) {
    const path = resources.sourcePath(p);
    fields = p.source.pipeline
      ? (await inferColumns(path)).map(({ name, type }) => ({ name, type }))
      : (await openCsv(path, p.source)).info.columns.map((name) => ({
          name,
          type: 'string' as const,
        }));
  }
  const sides = new Map<string, Batch>();
  for (const ref of sidesOf(p.steps)) sides.set(sideName(ref), await resources.loadSide(ref));
  return { fields, sides };
}

export interface Validation {
  /** Problems, each naming the recipe file. */
  problems: string[];
  /** Pipelines not checked against data yet, with the inputs they wait for. */
  notChecked: string[];
}

/**
 * `data` and `allow` as for a run (`--data`, `--allow-path`); `storePath` is never written.
 * PostgreSQL sources are checked against their servers' columns when `server` is given.
 */
export async function validateProject(
  project: LoadedProject,
  o: { data?: string; storePath: string; allow?: string[]; server?: ServerColumns },
): Promise<Validation> {
  orderPipelines(project.pipelines); // unknown dependencies and cycles are config errors
  const problems: string[] = [];
  const notChecked: string[] = [];
  const paths = pathPolicy(project, { dataDir: o.data, storePath: o.storePath, allow: o.allow });
  const resources = projectResources(paths, project.pipelines);
  const targets = {
    projectDir: project.dir,
    defaultDatabase: defaultDatabaseOf(project.dir, project.project.name),
    connections: runConnections(project.project.connections),
  };
  for (const lp of project.pipelines) {
    const p = lp.pipeline;
    const clash = sameTarget(p, targets);
    if (clash) problems.push(`${lp.file}: ${clash}`);
    try {
      checkRecipePaths(paths, project.pipelines, p);
      const inputs = await inputsOf(p, resources, o.server);
      if ('waiting' in inputs) {
        notChecked.push(`${p.name} (needs ${inputs.waiting.join(', ')})`);
        continue;
      }
      const { fields, sides } = inputs;
      planPipeline(
        p.steps,
        fields,
        { onOutput: () => undefined },
        { side: (ref) => sides.get(sideName(ref))! },
      );
      // A pipeline that runs on the server must compile whole: each step that cannot is named.
      if ((p.engine ?? project.project.defaults.engine) === 'postgres') {
        const rel = (f: Field[]): SqlRelation => ({ from: 'source', fields: f });
        for (const e of localOnlySteps(p.steps, rel(fields), (ref) =>
          rel(sides.get(sideName(ref))!.fields),
        ))
          problems.push(`${lp.file}: ${e.message}`);
      }
    } catch (e) {
      if (e instanceof StepConfigError) problems.push(`${lp.file}: ${e.message}`);
      else if (e instanceof RecipePathError) problems.push(`${lp.file}: ${e.message}`);
      else if (e instanceof SourceError) problems.push(`${lp.file}: source ${e.message}`);
      else throw e;
    }
  }
  return { problems, notChecked };
}
