/**
 * A project's pipelines as a dependency graph: a pipeline depends on what it lists in
 * `depends_on` and on every pipeline whose output it reads (its source, a join or a union).
 */
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { sidesOf } from '../engine/step';
import { ConfigError, type LoadedPipeline } from '../io/recipe-load';

/** Every pipeline a pipeline needs to have run first, declared or implied by what it reads. */
export function upstreamOf(p: Pipeline): string[] {
  const reads = [
    ...(p.source.pipeline ? [p.source.pipeline] : []),
    ...sidesOf(p.steps).flatMap((r) => ('pipeline' in r ? [r.pipeline] : [])),
  ];
  return [...new Set([...p.depends_on, ...reads])];
}

function configError(file: string, message: string, path: string[] = ['depends_on']): ConfigError {
  return new ConfigError([{ file, line: 1, column: 1, path, message }]);
}

/**
 * The wanted pipelines (all when none are named) in an order where each comes after what it
 * depends on. Unknown names and cycles are config errors; a cycle is named in full.
 */
export function orderPipelines(all: LoadedPipeline[], wanted?: string[]): LoadedPipeline[] {
  const byName = new Map(all.map((p) => [p.pipeline.name, p]));
  for (const name of wanted ?? [])
    if (!byName.has(name))
      throw configError(
        'pipelines/',
        `no pipeline named "${name}" (there are: ${[...byName.keys()].join(', ')})`,
        [],
      );
  const order: LoadedPipeline[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: LoadedPipeline, trail: string[]): void => {
    const name = p.pipeline.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw configError(p.file, `dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const dep of upstreamOf(p.pipeline)) {
      const d = byName.get(dep);
      if (!d) throw configError(p.file, `depends on unknown pipeline "${dep}"`);
      visit(d, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(p);
  };
  for (const p of all) visit(p, []);
  return wanted && wanted.length ? order.filter((p) => wanted.includes(p.pipeline.name)) : order;
}

/** The pipelines that depend, directly or not, on `name` among `among`. */
export function downstreamOf(name: string, among: LoadedPipeline[]): Set<string> {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of among) {
      const n = p.pipeline.name;
      if (found.has(n)) continue;
      if (upstreamOf(p.pipeline).some((d) => d === name || found.has(d))) {
        found.add(n);
        grew = true;
      }
    }
  }
  return found;
}
