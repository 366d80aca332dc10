/** The API's pipeline methods: a recipe read, checked, saved, and a step's preview. */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Pipeline } from '../../../src-shared/recipe/pipeline';
import { writeFileAtomic } from '../../io/atomic-write';
import { formatIssue, parseYaml } from '../../io/recipe-load';
import { orderPipelines } from '../../orchestrator/graph';
import { DROPPED_HEAD } from '../../preview/step-preview';
import { findListedRow, findPreviewRow } from '../../preview/changes';
import { readListedRows, readPreviewRows } from '../../preview/pages';
import { checkRecipePaths } from '../../orchestrator/resources';
import { SourceError } from '../../io/csv-read';
import type { Handlers, ProjectContext, RunContext, WorkContext } from '../context';
import { ApiFailure } from '../errors';
import { computedPreview } from '../preview-service';
import { apiStepCounts } from '../preview-counts';
import { serverColumns, validateProject } from '../validate';
import { checkExpression } from '../expression-check';
import { joinCounts } from '../join-counts';
import { stepColumns } from '../step-columns';
import { explainPipeline } from '../explain';

export function pipelineHandlers(
  svc: ProjectContext & WorkContext & Pick<RunContext, 'store'>,
): Pick<
  Handlers,
  | 'pipelines.get'
  | 'pipelines.validate'
  | 'pipelines.save'
  | 'pipelines.preview'
  | 'pipelines.previewRows'
  | 'pipelines.columns'
  | 'pipelines.explain'
  | 'pipelines.checkExpression'
  | 'pipelines.joinCounts'
  | 'pipelines.previewFind'
> {
  return {
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
        storePath: svc.storePath(),
        server: serverColumns(svc.project, (c) => svc.password(c)),
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
      svc.store().addVersion(svc.project.dir, name, yaml, new Date().toISOString());
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
        before: { ...meta.before, rows: before.rows, lines: before.lines, twins: before.twins },
        after: { ...meta.after, rows: after.rows, lines: after.lines, twins: after.twins },
        changed: after.changed,
        before_changed: before.changed,
        changed_columns: meta.changed_columns ?? [],
        before_dropped: before.dropped,
        dropped: dropped.rows.map((r, i) => ({
          kind: String(r[0]),
          line: dropped.lines[i],
          rule: String(r[1]),
          reason: String(r[2]),
          record: Object.fromEntries(meta.before.columns.map((c, ci) => [c.name, r[head + ci]])),
        })),
        dropped_total: meta.dropped.total,
        counts: meta.counts && apiStepCounts(meta.counts),
      };
    },

    'pipelines.previewRows': async ({ name, step, side, offset, limit, yaml, facets }) => {
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      if (side === 'dropped' || !facets.length)
        return {
          ...meta[side],
          ...(await readPreviewRows(dir, meta, side, offset, limit)),
          facets_applied: facets.map(() => false),
        };
      // The other side's rows under the same facets too: twins are places among those.
      const [mine, theirs] = await Promise.all([
        svc.scans.rows(dir, meta, side, facets),
        svc.scans.rows(dir, meta, side === 'before' ? 'after' : 'before', facets),
      ]);
      return {
        ...meta[side],
        ...(await readListedRows(dir, meta, side, mine.file, theirs.file, offset, limit)),
        total: mine.scan.matching,
        facets_applied: mine.scan.applied,
      };
    },

    'pipelines.columns': async ({ name, yaml }) => {
      const { source, steps } = await stepColumns(svc, name, yaml);
      return { source, steps };
    },

    'pipelines.explain': ({ name }) => explainPipeline(svc, name),

    'pipelines.checkExpression': (p) => checkExpression(svc, p),

    'pipelines.joinCounts': ({ name, step, yaml }) => joinCounts(svc, name, step, yaml),

    'pipelines.previewFind': async ({ name, step, side, what, from, yaml, facets }) => {
      if (what === 'dropped' && side !== 'before')
        throw new ApiFailure('bad_request', 'dropped rows are found on the before side only');
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      if (!facets.length) return { row: await findPreviewRow(dir, side, from, what) };
      const { file } = await svc.scans.rows(dir, meta, side, facets);
      return { row: await findListedRow(dir, side, file, from, what) };
    },
  };
}
