/**
 * sluice profile <project> --pipeline NAME --step N: the profile of a step's data with facets,
 * or its clusters (pipelines.profile, pipelines.clusters), as the window's profile panel shows.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Facet, Result } from '../../src-shared/api/contract';
import { UsageError } from './common';
import { table } from './format';
import { ask, printJson, projectService, serviceOptions, using } from './service-call';

export interface StepProfileFlags {
  pipeline: string;
  step?: number;
  side?: 'before' | 'after';
  facet?: string[];
  clusters?: string;
  method?: 'fingerprint' | 'ngram';
  recipe?: string;
  data?: string;
  allowPath?: string[];
  store?: string;
  json?: boolean;
}

/**
 * Facets from `--facet COL=VALUE` (an empty VALUE: empty cells; the same column again: either
 * value) or `--facet '{"kind":"range",...}'` (any facet, as JSON).
 */
export function parseFacets(args: string[]): Facet[] {
  const facets: Facet[] = [];
  for (const a of args) {
    if (a.trimStart().startsWith('{')) {
      facets.push(JSON.parse(a) as Facet);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq < 1) throw new UsageError(`--facet ${a}: write COLUMN=VALUE, or a facet as JSON`);
    const column = a.slice(0, eq);
    const value = a.slice(eq + 1) || null;
    const same = facets.find((f) => f.kind === 'values' && f.column === column);
    if (same?.kind === 'values') same.values.push(value);
    else facets.push({ kind: 'values', column, values: [value] });
  }
  return facets;
}

function printStepProfile(r: Result<'pipelines.profile'>): void {
  const n = (x: number): string => x.toLocaleString('en-US');
  process.stdout.write(
    `step ${r.step.index + 1}, ${r.step.kind}: the data ${r.side} it, ${n(r.matching)} of ${n(r.total)} rows${r.facets.length ? ' match the facets' : ''}\n`,
  );
  for (const f of r.facets)
    if (!f.applied) process.stdout.write(`  ignored: no column "${f.facet.column}" ${r.side} it\n`);
  process.stdout.write(
    '\n' +
      table(
        ['column', 'type', 'rows', 'empty', 'distinct', 'min', 'max', 'top value'],
        r.columns.map((c) => [
          c.name,
          c.type + (c.inferred !== c.type ? ` (reads as ${c.inferred})` : ''),
          c.rows,
          `${((c.null_count / Math.max(1, c.rows)) * 100).toFixed(1)}%`,
          c.distinct_count,
          c.min ?? '',
          c.max ?? '',
          c.top_values[0] ? `${c.top_values[0].value} (${c.top_values[0].count})` : '',
        ]),
      ) +
      '\n',
  );
}

function printClusters(r: Result<'pipelines.clusters'>): void {
  process.stdout.write(
    `${r.column}: ${r.total_clusters} clusters (${r.method}) among ${r.distinct} distinct values\n`,
  );
  for (const c of r.clusters)
    process.stdout.write(
      `  -> ${JSON.stringify(c.proposed)}: ${c.values.map((v) => `${JSON.stringify(v.value)} (${v.count})`).join(', ')}\n`,
    );
}

export async function stepProfile(dir: string, o: StepProfileFlags): Promise<void> {
  if (o.step === undefined) throw new UsageError('--pipeline needs --step N (counting from 1)');
  const yaml = o.recipe === undefined ? undefined : readFileSync(resolve(o.recipe), 'utf8');
  const at = {
    name: o.pipeline,
    step: o.step,
    side: o.side ?? 'after',
    yaml,
    facets: parseFacets(o.facet ?? []),
  };
  const svc = await projectService(dir, serviceOptions(o));
  await using(svc, async () => {
    if (o.clusters !== undefined) {
      const r = await ask(svc, 'pipelines.clusters', {
        ...at,
        column: o.clusters,
        method: o.method ?? 'fingerprint',
      });
      return o.json ? printJson(r) : printClusters(r);
    }
    const r = await ask(svc, 'pipelines.profile', at);
    return o.json ? printJson(r) : printStepProfile(r);
  });
}
