/** The API's profile of a step's data (after or before it) with facets, and its clusters. */
import type { ColumnProfile } from '../../engine/profile';
import type { Handlers, ProjectContext, WorkContext } from '../context';
import { ApiFailure } from '../errors';
import { computedPreview } from '../preview-service';
import { apiColumnProfile } from '../profile';

export function stepProfileHandlers(
  svc: ProjectContext & WorkContext,
): Pick<Handlers, 'pipelines.profile' | 'pipelines.clusters'> {
  return {
    'pipelines.profile': async ({ name, step, side, yaml, facets, top, bins }) => {
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      const scan = await svc.scans.scan({
        dir,
        meta,
        side,
        facets,
        profile: { topN: top, bins },
      });
      return {
        step: meta.step,
        side,
        total: scan.total,
        matching: scan.matching,
        facets: facets.map((facet, k) => ({ facet, applied: scan.applied[k] })),
        columns: (scan.profile ?? []).map((c: ColumnProfile, ci) => ({
          ...apiColumnProfile({
            ...c,
            guess: {
              ...c.guess,
              type: meta[side].columns[ci].type as ColumnProfile['guess']['type'],
            },
          }),
          rows: c.rows,
          inferred: c.guess.type,
        })),
      };
    },

    'pipelines.clusters': async ({ name, step, side, yaml, facets, column, method, limit }) => {
      const { dir, meta } = await computedPreview(svc, name, step, yaml);
      const col = meta[side].columns.find((c) => c.name === column);
      if (!col)
        throw new ApiFailure(
          'bad_request',
          `the data ${side} step ${step} has no column "${column}"; its columns are: ${meta[side].columns.map((c) => c.name).join(', ')}`,
        );
      if (col.type !== 'string')
        throw new ApiFailure(
          'bad_request',
          `column "${column}" is ${col.type}: clusters are for text columns`,
        );
      const scan = await svc.scans.scan({ dir, meta, side, facets, clusters: { column, method } });
      const c = scan.clusters!;
      return {
        column,
        method,
        distinct: c.distinct,
        rows: c.rows,
        total_clusters: c.clusters.length,
        clusters: c.clusters.slice(0, limit),
      };
    },
  };
}
