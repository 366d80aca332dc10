/** The run store in one SQLite file (better-sqlite3, WAL). The main thread is its only writer. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isProcessAlive } from '../io/pid';
import { openSqlite, type SqliteDatabase } from '../sqlite/open';
import type { PipelineReport, RunReport, StepReport } from '../../src-shared/recipe/result';
import { MIGRATIONS } from './migrations';
import { StoreError } from './store-error';
import { addVersion, listVersions } from './versions-sql';
import type {
  LogLevel,
  LogRow,
  NewRun,
  Page,
  RejectRow,
  RunFilter,
  RunRow,
  RunStatus,
  RunTotals,
  TaskStatus,
  RunStore,
  RecipeVersion,
  StoredRecipe,
  TaskRecipe,
  TaskRow,
  RejectGroup,
  StoredReject,
} from './store';

export { StoreError };

/**
 * Opens (creating and migrating as needed) the store at `path`. Only store/open.ts and tests
 * call it: the CLI, the service and the app open the store through there.
 */
export function openStore(path: string): RunStore {
  mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = openSqlite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (e) {
    throw new StoreError(`cannot open the run store ${path}: ${(e as Error).message}`);
  }
  const store = new SqliteStore(db, path);
  try {
    store.recoverInterrupted();
  } catch (e) {
    db.close();
    throw new StoreError(`cannot open the run store ${path}: ${(e as Error).message}`);
  }
  return store;
}

/** How often a running run tells the store it is alive. */
export const HEARTBEAT_MS = 10_000;
/** How often a run's process looks whether another process asked to cancel it. */
export const CANCEL_LOOK_MS = 1000;
/** A run of another host whose heartbeat is this old is taken for dead. */
const FOREIGN_STALE_MS = 12 * HEARTBEAT_MS;
/**
 * A run of this host whose process id is alive but whose heartbeat is this old is taken for
 * dead too: its id now belongs to another process (ids are reused).
 */
const REUSED_PID_MS = 60 * HEARTBEAT_MS;

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length)
    throw new StoreError(
      `store schema version ${current} is newer than this Sluice (${MIGRATIONS.length}): a newer Sluice uses it; use that one, or another store (--store FILE, or SLUICE_HOME=DIR)`,
    );
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const now = (): string => new Date().toISOString();

/** A run with its pipelines and row totals, summed over its tasks. */
const RUN_COLUMNS = `SELECT r.*,
  (SELECT group_concat(pipeline, char(31)) FROM tasks t WHERE t.run_id = r.id) AS pipelines,
  (SELECT coalesce(sum(rows_in), 0) FROM tasks t WHERE t.run_id = r.id) AS rows_in,
  (SELECT coalesce(sum(rows_out), 0) FROM tasks t WHERE t.run_id = r.id) AS rows_out,
  (SELECT coalesce(sum(rows_rejected), 0) FROM tasks t WHERE t.run_id = r.id) AS rows_rejected`;

class SqliteStore implements RunStore {
  constructor(
    private readonly db: SqliteDatabase,
    readonly path: string,
  ) {}

  createRun(run: NewRun): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, project, project_dir, status, recipe_hash, started_at, run_date, trigger, resumed_from, target, engine, plan_json, owner_pid, owner_host, heartbeat_at)
         VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.project,
        run.projectDir,
        run.recipeHash,
        run.startedAt,
        run.runDate ?? null,
        run.trigger ?? 'manual',
        run.resumedFrom ?? null,
        run.target ?? null,
        run.engine ?? null,
        run.plan ? JSON.stringify(run.plan) : null,
        process.pid,
        hostname(),
        now(),
      );
  }

  heartbeat(runId: string): void {
    this.db
      .prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`)
      .run(now(), runId);
  }

  requestCancel(runId: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, ?) WHERE id = ? AND status = 'running'`,
        )
        .run(now(), runId).changes > 0
    );
  }

  cancelRequested(runId: string): boolean {
    const row = this.db.prepare(`SELECT cancel_requested_at FROM runs WHERE id = ?`).get(runId) as
      { cancel_requested_at: string | null } | undefined;
    return row?.cancel_requested_at != null;
  }

  recoverInterrupted(): string[] {
    const running = this.db
      .prepare(
        `SELECT id, owner_pid, owner_host, heartbeat_at, started_at FROM runs WHERE status = 'running'`,
      )
      .all() as {
      id: string;
      owner_pid: number | null;
      owner_host: string | null;
      heartbeat_at: string | null;
      started_at: string;
    }[];
    const here = hostname();
    const t = Date.now();
    const dead: { id: string; lastSeen: string; why: string }[] = [];
    for (const r of running) {
      const lastSeen = r.heartbeat_at ?? r.started_at;
      const silent = t - Date.parse(lastSeen);
      if (r.owner_pid === null || r.owner_host === null) {
        // Recorded before runs had owners: only a long silence tells.
        if (silent > REUSED_PID_MS)
          dead.push({ id: r.id, lastSeen, why: 'its process is unknown and silent' });
      } else if (r.owner_host === here) {
        if (!isProcessAlive(r.owner_pid))
          dead.push({ id: r.id, lastSeen, why: `its process ${r.owner_pid} on ${here} is gone` });
        else if (silent > REUSED_PID_MS)
          dead.push({
            id: r.id,
            lastSeen,
            why: `its process ${r.owner_pid} on ${here} has not beaten since ${lastSeen} (the id is another process's now)`,
          });
      } else if (silent > FOREIGN_STALE_MS)
        dead.push({
          id: r.id,
          lastSeen,
          why: `its process ${r.owner_pid} on ${r.owner_host} has not beaten since ${lastSeen}`,
        });
    }
    if (!dead.length) return [];
    const markRun = this.db.prepare(
      `UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'`,
    );
    const markTasks = this.db.prepare(
      `UPDATE tasks SET status = 'interrupted', finished_at = ?, error = ? WHERE run_id = ? AND status = 'running'`,
    );
    const done: string[] = [];
    this.db.transaction(() => {
      for (const d of dead) {
        // Another process may have found it first.
        if (markRun.run(d.lastSeen, d.id).changes === 0) continue;
        const message = `run interrupted: ${d.why}; resume it with --resume ${d.id}`;
        markTasks.run(d.lastSeen, message, d.id);
        this.log(d.id, null, 'error', message);
        done.push(d.id);
      }
    })();
    return done;
  }

  markTask(runId: string, pipeline: string, status: 'succeeded' | 'skipped', note: string): void {
    const task = this.db
      .prepare(
        `SELECT id, status, report_json FROM tasks WHERE run_id = ? AND pipeline = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(runId, pipeline) as
      { id: number; status: string; report_json: string | null } | undefined;
    if (!task) throw new StoreError(`run ${runId} has no task for pipeline "${pipeline}"`);
    const report = task.report_json ? (JSON.parse(task.report_json) as PipelineReport) : null;
    const marked = report ? { ...report, status, markedByHand: { from: task.status, note } } : null;
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE tasks SET status = ?, report_json = coalesce(?, report_json) WHERE id = ?`)
        .run(status, marked ? JSON.stringify(marked) : null, task.id);
      this.log(
        runId,
        task.id,
        'warn',
        `${pipeline} marked ${status} by hand (was ${task.status})${note ? `: ${note}` : ''}`,
      );
    })();
  }

  lastRunDate(projectDir: string, pipeline: string): string | null {
    const row = this.db
      .prepare(
        `SELECT max(r.run_date) AS d FROM runs r JOIN tasks t ON t.run_id = r.id
         WHERE r.project_dir = ? AND t.pipeline = ? AND r.run_date IS NOT NULL`,
      )
      .get(projectDir, pipeline) as { d: string | null };
    return row.d;
  }

  finishRun(id: string, status: RunStatus, report: RunReport): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, finished_at = ?, report_json = ? WHERE id = ?`)
      .run(status, report.finishedAt, JSON.stringify(report), id);
  }

  createTask(runId: string, pipeline: string, recipe: TaskRecipe, startedAt: string): number {
    return this.db.transaction(() => {
      // The first text seen for a hash stays: another with the same hash differs only in
      // what the parse drops (comments, layout), so it ran the very same recipe.
      this.db
        .prepare(
          `INSERT INTO recipes (hash, pipeline, text, spec_json, first_seen) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (hash) DO NOTHING`,
        )
        .run(recipe.hash, pipeline, recipe.text, recipe.spec, startedAt);
      const r = this.db
        .prepare(
          `INSERT INTO tasks (run_id, pipeline, status, recipe_hash, started_at) VALUES (?, ?, 'running', ?, ?)`,
        )
        .run(runId, pipeline, recipe.hash, startedAt);
      return Number(r.lastInsertRowid);
    })();
  }

  addVersion(projectDir: string, pipeline: string, text: string, savedAt: string): RecipeVersion {
    return addVersion(this.db, projectDir, pipeline, text, savedAt);
  }

  versions(projectDir: string, pipeline: string): RecipeVersion[] {
    return listVersions(this.db, projectDir, pipeline);
  }

  recipe(hash: string): StoredRecipe | null {
    const r = this.db.prepare(`SELECT * FROM recipes WHERE hash = ?`).get(hash) as
      Record<string, string> | undefined;
    if (!r) return null;
    return {
      hash: r.hash,
      pipeline: r.pipeline,
      text: r.text,
      spec: r.spec_json,
      firstSeen: r.first_seen,
    };
  }

  finishTask(
    taskId: number,
    status: TaskStatus,
    report: PipelineReport,
    steps: StepReport[],
  ): void {
    const insertStep = this.db.prepare(
      `INSERT INTO step_tasks (task_id, idx, name, kind, rows_in, rows_out, rows_rejected, rows_removed, cells_changed, ms, warnings_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE tasks SET status = ?, finished_at = ?, rows_in = ?, rows_out = ?, rows_rejected = ?, rows_removed = ?, error = ?, report_json = ? WHERE id = ?`,
        )
        .run(
          status,
          report.finishedAt,
          report.rowsIn,
          report.rowsOut,
          report.rowsRejected,
          report.rowsRemoved,
          report.error?.message ?? null,
          JSON.stringify(report),
          taskId,
        );
      steps.forEach((s, i) =>
        insertStep.run(
          taskId,
          i,
          s.name,
          s.kind,
          s.rowsIn,
          s.rowsOut,
          s.rowsRejected,
          s.rowsRemoved,
          s.cellsChanged,
          s.ms,
          JSON.stringify(s.warnings),
        ),
      );
    })();
  }

  log(runId: string, taskId: number | null, level: LogLevel, message: string): void {
    this.db
      .prepare(`INSERT INTO logs (run_id, task_id, ts, level, message) VALUES (?, ?, ?, ?, ?)`)
      .run(runId, taskId, now(), level, message);
  }

  addRejects(runId: string, taskId: number, pipeline: string, rows: RejectRow[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO rejects (run_id, task_id, pipeline, kind, source, line, line_end, raw, step, rule, reason, record_json, record_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ts = now();
    this.db.transaction(() => {
      for (const r of rows) {
        const recordJson = r.record ? JSON.stringify(r.record) : null;
        const hash = createHash('sha256')
          .update(r.raw ?? recordJson ?? '')
          .digest('hex')
          .slice(0, 32);
        stmt.run(
          runId,
          taskId,
          pipeline,
          r.kind,
          r.source,
          r.line,
          r.lineEnd,
          r.raw,
          r.step,
          r.rule,
          r.reason,
          recordJson,
          hash,
          ts,
        );
      }
    })();
  }

  addMetric(runId: string, taskId: number | null, name: string, value: number): void {
    this.db
      .prepare(`INSERT INTO metrics (run_id, task_id, name, value) VALUES (?, ?, ?, ?)`)
      .run(runId, taskId, name, value);
  }

  listRuns(filter: RunFilter): Page<RunRow> {
    const page = Math.max(1, filter.page ?? 1);
    const pageSize = Math.min(100, Math.max(1, filter.pageSize ?? 20));
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) {
      where.push('r.status = ?');
      args.push(filter.status);
    }
    if (filter.pipeline) {
      where.push('EXISTS (SELECT 1 FROM tasks t WHERE t.run_id = r.id AND t.pipeline = ?)');
      args.push(filter.pipeline);
    }
    if (filter.projectDir) {
      where.push('r.project_dir = ?');
      args.push(filter.projectDir);
    }
    const day = `coalesce(r.run_date, substr(r.started_at, 1, 10))`;
    if (filter.from) {
      where.push(`${day} >= ?`);
      args.push(filter.from);
    }
    if (filter.to) {
      where.push(`${day} <= ?`);
      args.push(filter.to);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM runs r ${w}`).get(...args) as { n: number }
    ).n;
    const rows = this.db
      .prepare(
        `${RUN_COLUMNS} FROM runs r ${w} ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, pageSize, (page - 1) * pageSize) as Record<string, unknown>[];
    return { items: rows.map(toRun), page, pageSize, total, hasNext: page * pageSize < total };
  }

  getRun(id: string): { run: RunRow; tasks: TaskRow[]; report: RunReport | null } | null {
    const row = this.db.prepare(`${RUN_COLUMNS} FROM runs r WHERE r.id = ?`).get(id) as
      Record<string, unknown> | undefined;
    if (!row) return null;
    const tasks = (
      this.db.prepare(`SELECT * FROM tasks WHERE run_id = ? ORDER BY id`).all(id) as Record<
        string,
        unknown
      >[]
    ).map(toTask);
    return {
      run: toRun(row),
      tasks,
      report: row.report_json ? (JSON.parse(row.report_json as string) as RunReport) : null,
    };
  }

  lastSucceeded(projectDir: string, pipeline: string): PipelineReport | null {
    const row = this.db
      .prepare(
        `SELECT t.report_json FROM tasks t JOIN runs r ON r.id = t.run_id
         WHERE r.project_dir = ? AND t.pipeline = ? AND t.status = 'succeeded' ORDER BY t.id DESC LIMIT 1`,
      )
      .get(projectDir, pipeline) as { report_json: string | null } | undefined;
    return row?.report_json ? (JSON.parse(row.report_json) as PipelineReport) : null;
  }

  logs(runId: string, tail?: number): LogRow[] {
    const rows = this.db
      .prepare(
        `SELECT l.ts, l.level, l.message, t.pipeline FROM logs l LEFT JOIN tasks t ON t.id = l.task_id
         WHERE l.run_id = ? ORDER BY l.id DESC LIMIT ?`,
      )
      .all(runId, tail ?? -1) as Record<string, unknown>[];
    return rows.reverse().map((r) => ({
      ts: r.ts as string,
      level: r.level as LogLevel,
      pipeline: (r.pipeline as string) ?? null,
      message: r.message as string,
    }));
  }

  logsAfter(runId: string, afterId: number): (LogRow & { id: number })[] {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.ts, l.level, l.message, t.pipeline FROM logs l LEFT JOIN tasks t ON t.id = l.task_id
         WHERE l.run_id = ? AND l.id > ? ORDER BY l.id`,
      )
      .all(runId, afterId) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number,
      ts: r.ts as string,
      level: r.level as LogLevel,
      pipeline: (r.pipeline as string) ?? null,
      message: r.message as string,
    }));
  }

  rejectGroups(runId: string, examples = 3): RejectGroup[] {
    const groups = this.db
      .prepare(
        `SELECT pipeline, kind, step, rule, reason, count(*) AS n FROM rejects WHERE run_id = ?
         GROUP BY pipeline, kind, step, rule, reason ORDER BY n DESC, pipeline, step, rule, reason`,
      )
      .all(runId) as {
      pipeline: string;
      kind: RejectGroup['kind'];
      step: string;
      rule: string;
      reason: string;
      n: number;
    }[];
    const first = this.db.prepare(
      `SELECT source, line, raw, record_json FROM rejects WHERE run_id = ? AND pipeline = ? AND kind = ?
       AND step = ? AND rule = ? AND reason = ? ORDER BY line, id LIMIT ?`,
    );
    return groups.map((g) => ({
      pipeline: g.pipeline,
      kind: g.kind,
      step: g.step,
      rule: g.rule,
      reason: g.reason,
      count: g.n,
      examples: (
        first.all(runId, g.pipeline, g.kind, g.step, g.rule, g.reason, examples) as {
          source: string;
          line: number;
          raw: string | null;
          record_json: string | null;
        }[]
      ).map((e) => ({
        source: e.source,
        line: e.line,
        raw: e.raw ?? null,
        record: e.record_json ? (JSON.parse(e.record_json) as Record<string, unknown>) : null,
      })),
    }));
  }

  rejects(runId: string, opts: { page?: number; pageSize?: number } = {}): Page<StoredReject> {
    const page = Math.max(1, opts.page ?? 1);
    const pageSize = Math.max(1, opts.pageSize ?? 1_000_000_000);
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM rejects WHERE run_id = ?`).get(runId) as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM rejects WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?`)
      .all(runId, pageSize, (page - 1) * pageSize) as Record<string, unknown>[];
    return {
      items: rows.map((r) => ({
        id: r.id as number,
        status: r.status as StoredReject['status'],
        kind: r.kind as 'rejected' | 'removed',
        pipeline: r.pipeline as string,
        source: r.source as string,
        line: r.line as number,
        lineEnd: r.line_end as number,
        raw: (r.raw as string) ?? null,
        step: r.step as string,
        rule: r.rule as string,
        reason: r.reason as string,
        record: r.record_json
          ? (JSON.parse(r.record_json as string) as Record<string, unknown>)
          : null,
        recordHash: r.record_hash as string,
      })),
      page,
      pageSize,
      total,
      hasNext: page * pageSize < total,
    };
  }

  runTotals(projectDir: string): RunTotals {
    const r = this.db
      .prepare(
        `SELECT count(*) AS runs,
           count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE status = 'interrupted') AS interrupted,
           avg((julianday(finished_at) - julianday(started_at)) * 86400000.0)
             FILTER (WHERE finished_at IS NOT NULL AND status != 'interrupted') AS mean_ms
         FROM runs WHERE project_dir = ?`,
      )
      .get(projectDir) as Record<string, number | null>;
    const rows = this.db
      .prepare(
        `SELECT coalesce(sum(t.rows_in), 0) AS rows_in, coalesce(sum(t.rows_out), 0) AS rows_out,
           coalesce(sum(t.rows_rejected), 0) AS rows_rejected
         FROM tasks t JOIN runs r ON r.id = t.run_id
         WHERE r.project_dir = ? AND json_extract(t.report_json, '$.reusedFrom') IS NULL`,
      )
      .get(projectDir) as Record<string, number>;
    return {
      runs: Number(r.runs),
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      cancelled: Number(r.cancelled),
      interrupted: Number(r.interrupted),
      meanDurationMs: r.mean_ms === null ? null : Math.round(Number(r.mean_ms)),
      rowsIn: rows.rows_in,
      rowsOut: rows.rows_out,
      rowsRejected: rows.rows_rejected,
    };
  }

  lastTasks(
    projectDir: string,
    status?: TaskStatus,
    skip: readonly TaskStatus[] = [],
  ): Map<string, TaskRow> {
    const rows = this.db
      .prepare(
        `SELECT t.* FROM tasks t JOIN runs r ON r.id = t.run_id
         WHERE r.project_dir = ? AND t.id = (SELECT max(t2.id) FROM tasks t2 JOIN runs r2 ON r2.id = t2.run_id
           WHERE r2.project_dir = r.project_dir AND t2.pipeline = t.pipeline AND (? IS NULL OR t2.status = ?)
             AND t2.status NOT IN (SELECT value FROM json_each(?)))`,
      )
      .all(projectDir, status ?? null, status ?? null, JSON.stringify(skip)) as Record<
      string,
      unknown
    >[];
    return new Map(rows.map((t) => [t.pipeline as string, toTask(t)]));
  }

  setRejectStatus(ids: number[], status: StoredReject['status']): void {
    const stmt = this.db.prepare(`UPDATE rejects SET status = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const id of ids) stmt.run(status, id);
    })();
  }

  close(): void {
    this.db.close();
  }
}

function toTask(t: Record<string, unknown>): TaskRow {
  return {
    id: t.id as number,
    runId: t.run_id as string,
    pipeline: t.pipeline as string,
    status: t.status as TaskStatus,
    recipeHash: t.recipe_hash as string,
    startedAt: t.started_at as string,
    finishedAt: (t.finished_at as string) ?? null,
    error: (t.error as string) ?? null,
    report: t.report_json ? (JSON.parse(t.report_json as string) as PipelineReport) : null,
  };
}

function toRun(r: Record<string, unknown>): RunRow {
  const pipelines = r.pipelines ? String(r.pipelines).split('\u001f') : [];
  return {
    id: r.id as string,
    project: r.project as string,
    projectDir: r.project_dir as string,
    status: r.status as RunStatus,
    recipeHash: r.recipe_hash as string,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string) ?? null,
    pipelines,
    rowsIn: Number(r.rows_in ?? 0),
    rowsOut: Number(r.rows_out ?? 0),
    rowsRejected: Number(r.rows_rejected ?? 0),
    runDate: (r.run_date as string) ?? null,
    trigger: (r.trigger as string) ?? 'manual',
    resumedFrom: (r.resumed_from as string) ?? null,
    target: (r.target as string) ?? null,
    engine: (r.engine as string) ?? null,
    planned: r.plan_json ? (JSON.parse(r.plan_json as string) as string[]) : pipelines,
  };
}
