/** The API's project, pipeline and profile methods. */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Pipeline } from '../../../src-shared/recipe/pipeline';
import { writeFileAtomic } from '../../io/atomic-write';
import { formatIssue, parseYaml } from '../../io/recipe-load';
import { orderPipelines, upstreamOf } from '../../orchestrator/graph';
import { DROPPED_HEAD } from '../../preview/step-preview';
import { readPreviewRows } from '../../preview/pages';
import { checkRecipePaths } from '../../orchestrator/resources';
import { SourceError } from '../../io/csv-read';
import { storePathFor } from '../../orchestrator/run-project';
import { ApiFailure, type Handlers, type SluiceService } from '../api-service';
import { computedPreview } from '../preview-service';
import { validateProject } from '../validate';

export function pipelineHandlers(
  svc: SluiceService,
): Pick<
  Handlers,
  | 'health'
  | 'project.get'
  | 'pipelines.get'
  | 'pipelines.validate'
  | 'pipelines.save'
  | 'pipelines.preview'
  | 'pipelines.previewRows'
  | 'profiles.get'
> {
  return {
    health: async () => ({
      status: 'ok' as const,
      version: svc.opts.version ?? '0.1.0',
      project: svc.project.project.name,
    }),

    'project.get': async () => {
      await svc.reload();
      const last = await svc.withStore((s) => s.lastTasks(svc.project.dir));
      return {
        name: svc.project.project.name,
        dir: svc.project.dir,
        data_dir: svc.dataDir(),
        pipelines: svc.project.pipelines.map(({ pipeline: p, file }) => {
          const t = last.get(p.name);
          return {
            name: p.name,
            description: p.description ?? null,
            file,
            depends_on: p.depends_on,
            upstream: upstreamOf(p),
            source: p.source.path ?? `pipeline ${p.source.pipeline}`,
            outputs: p.outputs.map((o) => ({
              kind: o.kind,
              target: o.kind === 'csv' ? o.path : o.table,
            })),
            last_run: t
              ? {
                  run_id: t.runId,
                  status: t.status,
                  rows_out: t.report?.rowsOut ?? 0,
                  finished_at: t.finishedAt,
                }
              : null,
          };
        }),
      };
    },

    'pipelines.get': async ({ name }) => {
      const lp = svc.project.pipelines.find((p) => p.pipeline.name === name);
      if (!lp) throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
      return {
        name,
        file: lp.file,
        yaml: readFileSync(resolve(svc.project.dir, lp.file), 'utf8'),
        recipe: lp.pipeline,
      };
    },

    'pipelines.validate': async () => {
      await svc.reload();
      const v = await validateProject(svc.project, {
        data: svc.opts.dataDir,
        allow: svc.opts.allow,
        storePath: storePathFor(svc.project, svc.opts.storePath),
      });
      return { ok: v.problems.length === 0, problems: v.problems, not_checked: v.notChecked };
    },

    'pipelines.save': async ({ name, yaml }) => {
      const existing = svc.project.pipelines.find((p) => p.pipeline.name === name);
      const file = existing?.file ?? join(svc.project.dir, 'pipelines', `${name}.yaml`);
      const parsed = parseYaml(file, yaml, Pipeline);
      if (!parsed.ok)
        throw new ApiFailure(
          'bad_request',
          `the recipe has errors: ${parsed.issues.map(formatIssue).join('; ')}`,
          {
            issues: parsed.issues,
          },
        );
      if (parsed.value.name !== name)
        throw new ApiFailure(
          'bad_request',
          `the recipe is named "${parsed.value.name}", not "${name}"`,
        );
      try {
        checkRecipePaths(svc.paths(), svc.project.pipelines, parsed.value);
      } catch (e) {
        if (e instanceof SourceError) throw new ApiFailure('bad_request', e.message);
        throw e;
      }
      const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, yaml);
      try {
        await svc.reload();
        orderPipelines(svc.project.pipelines);
      } catch (e) {
        // The project as a whole does not load with it (a cycle, say): put the old file back.
        if (before === null) rmSync(file, { force: true });
        else writeFileAtomic(file, before);
        await svc.reload();
        throw e;
      }
      return { name, file };
    },

    'pipelines.preview': async ({ name, step, offset, limit, yaml }) => {
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      const page = async (side: 'before' | 'after', o: number, l: number) =>
        readPreviewRows(dir, meta, side, o, l);
      const [before, after, dropped] = await Promise.all([
        page('before', offset, limit),
        page('after', offset, limit),
        readPreviewRows(dir, meta, 'dropped', 0, 200),
      ]);
      const head = DROPPED_HEAD.length;
      return {
        step: meta.step,
        before: { ...meta.before, rows: before.rows, lines: before.lines },
        after: { ...meta.after, rows: after.rows, lines: after.lines },
        changed: after.changed,
        before_changed: before.changed,
        dropped: dropped.rows.map((r, i) => ({
          kind: String(r[0]),
          line: dropped.lines[i],
          rule: String(r[1]),
          reason: String(r[2]),
          record: Object.fromEntries(meta.before.columns.map((c, ci) => [c.name, r[head + ci]])),
        })),
        dropped_total: meta.dropped.total,
        counts: meta.counts as unknown as Record<string, unknown> | null,
      };
    },

    'pipelines.previewRows': async ({ name, step, side, offset, limit, yaml }) => {
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      return { ...meta[side], ...(await readPreviewRows(dir, meta, side, offset, limit)) };
    },

    'profiles.get': async ({ path }) => {
      const p = await svc.profiles.get(svc.fileOf(path));
      const { rows, suggestedKey, columns, source, rejects } = p;
      return {
        rows,
        suggested_key: suggestedKey,
        source: source as unknown as Record<string, unknown>,
        columns: columns as unknown as Record<string, unknown>[],
        rejected_lines: rejects.length,
      };
    },
  };
}
