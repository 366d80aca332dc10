/** Schema migrations, applied in order; PRAGMA user_version records how far a file has come. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    project_dir TEXT NOT NULL,
    status TEXT NOT NULL,
    recipe_hash TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    report_json TEXT
  );
  CREATE INDEX runs_started ON runs(started_at);
  CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    pipeline TEXT NOT NULL,
    status TEXT NOT NULL,
    recipe_hash TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_in INTEGER, rows_out INTEGER, rows_rejected INTEGER, rows_removed INTEGER,
    error TEXT,
    report_json TEXT
  );
  CREATE INDEX tasks_run ON tasks(run_id);
  CREATE INDEX tasks_pipeline ON tasks(pipeline);
  CREATE TABLE step_tasks (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    rows_in INTEGER NOT NULL, rows_out INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL, rows_removed INTEGER NOT NULL,
    cells_changed INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    warnings_json TEXT NOT NULL,
    PRIMARY KEY (task_id, idx)
  );
  CREATE TABLE logs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id INTEGER,
    ts TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX logs_run ON logs(run_id, id);
  CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id INTEGER NOT NULL,
    pipeline TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rejected', 'removed')),
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    raw TEXT,
    step TEXT NOT NULL,
    rule TEXT NOT NULL,
    reason TEXT NOT NULL,
    record_json TEXT,
    record_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX rejects_run ON rejects(run_id, id);
  CREATE TABLE metrics (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    task_id INTEGER,
    name TEXT NOT NULL,
    value REAL NOT NULL
  );
  CREATE INDEX metrics_run ON metrics(run_id);
  `,
  `
  -- A rejected row can be retried once fixed: open, retried (loaded on a retry).
  ALTER TABLE rejects ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
  `,
  `
  -- Runs have a logical date, a trigger (manual, schedule, backfill, watch, resume) and may
  -- resume an earlier run.
  ALTER TABLE runs ADD COLUMN run_date TEXT;
  ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';
  ALTER TABLE runs ADD COLUMN resumed_from TEXT;
  CREATE INDEX runs_date ON runs(project_dir, run_date);
  `,
  `
  -- A run records its owner (process id and host) and beats a heartbeat while it runs, so a
  -- run whose process is gone is found and marked interrupted instead of running forever.
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
  CREATE INDEX runs_status ON runs(status);
  `,
  `
  -- Each recipe a task ran, once per hash: the text as written and the parsed spec the hash is
  -- of, so a run records exactly which recipe produced it and it can be read back.
  CREATE TABLE recipes (
    hash TEXT PRIMARY KEY,
    pipeline TEXT NOT NULL,
    text TEXT NOT NULL,
    spec_json TEXT NOT NULL,
    first_seen TEXT NOT NULL
  );
  `,
  `
  -- Where a run sent its database loads when it chose (--target, --connection, the window's
  -- run target): postgres, postgres:<connection> or sqlite; null: where each recipe says. A
  -- resumed run and a retry of refused rows load there again.
  ALTER TABLE runs ADD COLUMN target TEXT;
  `,
  `
  -- Each save of a recipe from the window, the API or the CLI: the text as saved and its sha256,
  -- so a person can see what a pipeline was and diff any two versions.
  CREATE TABLE recipe_versions (
    id INTEGER PRIMARY KEY,
    project_dir TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    hash TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL
  );
  CREATE INDEX recipe_versions_of ON recipe_versions(project_dir, pipeline, id);
  `,
  `
  -- The pipelines a run will run, in order, as a JSON list recorded when it starts: a run's
  -- tasks appear only as its pipelines begin, so whoever watches it (the window, sluice runs)
  -- learns from this which are still waiting, however the run was started.
  ALTER TABLE runs ADD COLUMN plan_json TEXT;
  `,
  `
  -- When someone asked to cancel a run that another process owns (the window cancelling a
  -- terminal's sluice run, one server another's): the owner looks every second and stops.
  ALTER TABLE runs ADD COLUMN cancel_requested_at TEXT;
  `,
  `
  -- Where every pipeline's steps ran when the run chose (--engine, runs.start's engine): local
  -- or postgres; null: each recipe's engine. A resumed run runs there again unless told.
  ALTER TABLE runs ADD COLUMN engine TEXT;
  `,
];
