/** Store rows as the contract's results: snake_case, pages with page_size and has_next. */
import type { Result } from '../../src-shared/api/contract';
import type { RunRow, StoredReject, TaskRow } from '../store/store';

export function runSummary(r: RunRow): Result<'runs.get'>['run'] {
  return {
    id: r.id,
    project: r.project,
    status: r.status,
    run_date: r.runDate,
    trigger: r.trigger,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    pipelines: r.pipelines,
    planned: r.planned,
    rows_in: r.rowsIn,
    rows_out: r.rowsOut,
    rows_rejected: r.rowsRejected,
    target: r.target,
    engine: r.engine,
  };
}

/** The planned pipelines of a running run that have no task yet: they wait. */
export function queuedOf(r: { run: RunRow; tasks: TaskRow[] }): string[] {
  if (r.run.status !== 'running') return [];
  const begun = new Set(r.tasks.map((t) => t.pipeline));
  return r.run.planned.filter((p) => !begun.has(p));
}

export function taskSummary(t: TaskRow): Result<'runs.get'>['tasks'][number] {
  return {
    pipeline: t.pipeline,
    status: t.status,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    error: t.error,
    rows_in: t.report?.rowsIn ?? 0,
    rows_out: t.report?.rowsOut ?? 0,
    rows_rejected: t.report?.rowsRejected ?? 0,
    worker: t.report?.worker ?? null,
    attempts: t.report?.attempts ?? null,
    steps: (t.report?.steps ?? []).map((s) => ({
      name: s.name,
      kind: s.kind,
      rows_in: s.rowsIn,
      rows_out: s.rowsOut,
      rows_rejected: s.rowsRejected,
      rows_removed: s.rowsRemoved,
      cells_changed: s.cellsChanged,
      ms: s.ms,
    })),
  };
}

export function rejectInfo(x: StoredReject): Result<'rejects.list'>['items'][number] {
  return {
    id: x.id,
    pipeline: x.pipeline,
    kind: x.kind,
    source: x.source,
    line: x.line,
    raw: x.raw,
    step: x.step,
    rule: x.rule,
    reason: x.reason,
    record: x.record,
    status: x.status,
  };
}

/** A store page as an API page: page, page_size, total, has_next. */
export function apiPage<T, U>(
  p: { items: T[]; page: number; pageSize: number; total: number; hasNext: boolean },
  item: (x: T) => U,
) {
  return {
    items: p.items.map(item),
    page: p.page,
    page_size: p.pageSize,
    total: p.total,
    has_next: p.hasNext,
  };
}
