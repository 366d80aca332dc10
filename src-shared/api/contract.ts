/**
 * Everything the UI and automation can ask of Sluice, as one typed contract: each method's
 * parameters and result are zod schemas, and its HTTP route. The service implements it once;
 * Electron IPC and the local HTTP server carry it unchanged.
 */
import { z } from 'zod';
import { ConnectionDetails, ConnectionName, SslMode } from '../connections';
import { Engine } from '../recipe/pipeline';
import { RecipeProblem } from '../recipe/recipe-text';
import { COLUMN_TYPES } from '../recipe/steps';
import { userRecord } from '../recipe/user-record';
import { Delimiter, Encoding, LogLevel, RunStatus, TaskStatus, TextEncoding } from '../vocabulary';

/** An error crosses every boundary as a value, never as a thrown exception. */
export const ApiError = z.object({
  code: z.enum([
    'bad_request',
    'unauthorized',
    'forbidden',
    'not_found',
    'conflict',
    'unknown_method',
    'too_large',
    'internal',
    /** What the request needs is missing on this computer (Chromium, for a PDF). */
    'unavailable',
  ]),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiError>;
export type ApiErrorCode = ApiError['code'];

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The HTTP status of each error code. */
export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unknown_method: 404,
  too_large: 400, // a clear 400, as for any other malformed request
  internal: 500,
  unavailable: 503,
};

const pageParams = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
};

/** A page of a list: `page`, `page_size` (at most 100), `total`, `has_next`. */
function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    page_size: z.number().int(),
    total: z.number().int(),
    has_next: z.boolean(),
  });
}

/**
 * A row as column -> value. Not z.record: it drops a key called `__proto__`, and a column may
 * be called that; the object passes through as it is.
 */
const RowRecord = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'a row as an object of column values',
);
export const PipelineName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a pipeline name: letters, digits, _ . - only');
const RunId = z.string().regex(/^run_[0-9A-Za-z_]+$/, 'a run id, like run_20261128T101500Z_ab12cd');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const FileName = z
  .string()
  .max(200)
  .regex(
    /^[^/\\\0:*?"<>|]+\.(csv|tsv|txt)$/i,
    'a file name ending in .csv, .tsv or .txt, without folders',
  )
  .refine((n) => !n.startsWith('.'), 'a file name that does not start with a dot');
/** A column type as inference names it: a recipe's column types, or an email address. */
const InferredType = z.enum([...COLUMN_TYPES, 'email']);

/**
 * A column of a CSV file profiled over all its rows: its inferred type and how well the values
 * fit it, nulls, distinct values, range, top values and histogram. imports.inspect and
 * profiles.get both answer these.
 */
export const ColumnProfile = z.object({
  name: z.string(),
  type: InferredType,
  /** Share of non-null values that fit the type (1 for text). */
  confidence: z.number(),
  /** Date formats, in the order to try them. */
  formats: z.array(z.string()).nullable(),
  /** Why a likely type was not chosen (an undecidable day/month order, say). */
  note: z.string().nullable(),
  /** Values that do not fit the type, up to five. */
  misfits: z.array(z.string()),
  null_count: z.number(),
  distinct_count: z.number(),
  /**
   * More distinct values than could be kept: distinct_count is an estimate (shown with ≈), the
   * top values' counts lower bounds and the histogram's counts estimates; the rest stays exact.
   */
  distinct_capped: z.boolean(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  top_values: z.array(z.object({ value: z.string(), count: z.number() })),
  length_min: z.number().nullable(),
  length_max: z.number().nullable(),
  histogram: z.array(z.object({ from: z.string(), to: z.string(), count: z.number() })),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

/**
 * Whether a key is unique over every row of a file, as the recipe's de-duplication will find
 * (after its earlier steps: trimmed text, parsed dates and numbers).
 */
export const KeyCheck = z.object({
  key: z.array(z.string()),
  /** Rows checked: every row that reaches the de-duplication. */
  rows: z.number(),
  /** Rows whose key an earlier row has: what the dedupe step (keep first) removes. */
  duplicate_rows: z.number(),
  /** Key values found on more than one row. */
  duplicate_keys: z.number(),
  /** The first key value found twice (its columns' values as text; null: empty) and its rows. */
  example: z.object({ values: z.array(z.string().nullable()), rows: z.number() }).nullable(),
});
export type KeyCheck = z.infer<typeof KeyCheck>;

/** How a file was read: what was detected or set, and what a person should know. */
export const FileSource = z.object({
  path: z.string(),
  encoding: TextEncoding,
  encoding_reason: z.string(),
  delimiter: Delimiter,
  newline: z.enum(['\n', '\r\n', '\r']),
  header: z.boolean(),
  /** Size of the file itself (compressed, for gzip). */
  bytes: z.number(),
  compression: z.enum(['gzip']).nullable(),
  /** Invalid byte sequences found; when 0, a U+FFFD in the text is real data. */
  invalid_bytes: z.number(),
  warnings: z.array(z.string()),
});

/**
 * A step's books over all rows: in + added = out + rejected + removed + merged. Reasons count
 * the removed rows by why; notes are the step's own figures (a join's matches, say).
 */
export const StepCounts = z.object({
  rows_in: z.number(),
  rows_out: z.number(),
  rows_rejected: z.number(),
  rows_removed: z.number(),
  removed_reasons: userRecord(z.number(), z.string()),
  rows_merged: z.number(),
  rows_added: z.number(),
  cells_changed: z.number(),
  notes: userRecord(z.unknown(), z.string()).nullable(),
  warnings: z.array(z.string()),
  ms: z.number(),
});
export type StepCounts = z.infer<typeof StepCounts>;

export const RunSummary = z.object({
  id: z.string(),
  project: z.string(),
  status: RunStatus,
  run_date: z.string().nullable(),
  trigger: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** The pipelines it has run or is running (a task each). */
  pipelines: z.array(z.string()),
  /**
   * Every pipeline it was to run, in order, as planned when it started, however it was started
   * (the window, the CLI, the API, a schedule); for runs recorded before plans were kept, the
   * ones it ran.
   */
  planned: z.array(z.string()),
  rows_in: z.number(),
  rows_out: z.number(),
  rows_rejected: z.number(),
  /**
   * Where the run sent its database loads when it chose: postgres (DATABASE_URL),
   * postgres:<connection> or sqlite; null: where each recipe says. Resumes and retries go there.
   */
  target: z.string().nullable(),
  /** Where every pipeline's steps ran when the run chose: local or postgres; null: each recipe's. */
  engine: z.string().nullable(),
});

export const TaskSummary = z.object({
  pipeline: z.string(),
  status: TaskStatus,
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  rows_in: z.number(),
  rows_out: z.number(),
  rows_rejected: z.number(),
  worker: z.number().nullable(),
  attempts: z.number().nullable(),
  /** Each step's counts as the task ran it, in order (empty before it finished). */
  steps: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      rows_in: z.number(),
      rows_out: z.number(),
      rows_rejected: z.number(),
      rows_removed: z.number(),
      cells_changed: z.number(),
      ms: z.number(),
    }),
  ),
});

export const PipelineInfo = z.object({
  name: z.string(),
  description: z.string().nullable(),
  file: z.string(),
  depends_on: z.array(z.string()),
  /** Every pipeline it needs first: depends_on, and the pipelines it reads, joins or unions. */
  upstream: z.array(z.string()),
  source: z.string(),
  outputs: z.array(z.object({ kind: z.string(), target: z.string() })),
  last_run: z
    .object({
      run_id: z.string(),
      status: TaskStatus,
      rows_out: z.number(),
      finished_at: z.string().nullable(),
    })
    .nullable(),
});

export const LogLine = z.object({
  ts: z.string(),
  level: LogLevel,
  pipeline: z.string().nullable(),
  message: z.string(),
});

export const RejectInfo = z.object({
  id: z.number(),
  pipeline: z.string(),
  kind: z.enum(['rejected', 'removed']),
  source: z.string(),
  line: z.number(),
  raw: z.string().nullable(),
  step: z.string(),
  rule: z.string(),
  reason: z.string(),
  record: RowRecord.nullable(),
  /** retried: loaded again by rejects.retry. */
  status: z.enum(['open', 'retried']),
});

/** A page of rows of a preview: columns, rows (values in column order), source lines, all rows. */
/**
 * A filter on one column of a preview or a profile: chosen values (null for an empty cell), a
 * range (text compared as the column's type orders it), or a condition. Facets combine: a row
 * shows when it passes every one.
 */
export const Facet = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('values'),
    column: z.string(),
    values: z.array(z.string().nullable()).min(1).max(1000),
  }),
  z.object({
    kind: z.literal('range'),
    column: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('condition'),
    column: z.string(),
    op: z.enum([
      'empty',
      'not_empty',
      'equals',
      'not_equals',
      'contains',
      'starts_with',
      'gt',
      'gte',
      'lt',
      'lte',
    ]),
    value: z.string().optional(),
  }),
]);
export type Facet = z.infer<typeof Facet>;

/** A before row the previewed step rejected or removed: its row on the page, and why. */
const DroppedMark = z.object({
  row: z.number(),
  kind: z.string(),
  rule: z.string(),
  reason: z.string(),
});

/**
 * A column of a step's data profiled over all its rows, or over those the facets on OTHER
 * columns let through (so a faceted column still shows the values it could switch to).
 */
export const StepColumnProfile = ColumnProfile.extend({
  /** Rows it was computed over. */
  rows: z.number(),
  /** Text columns: what their values look like (date, int...); typed ones: their type. */
  inferred: InferredType,
});
export type StepColumnProfile = z.infer<typeof StepColumnProfile>;

const Facets = z.array(Facet).max(31).default([]);

/** Which step's data: the pipeline, the step (1-based), the side, an unsaved recipe, facets. */
const StepData = {
  name: PipelineName,
  step: z.number().int().min(1),
  side: z.enum(['before', 'after']).default('after'),
  yaml: z.string().max(1_000_000).optional(),
  facets: Facets,
};

const StepRef = z.object({
  index: z.number(),
  name: z.string(),
  kind: z.string(),
  enabled: z.boolean(),
});

const PreviewPage = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  lines: z.array(z.number()),
  total: z.number(),
});

/** A column as a step sees it: its name and type. */
const StepColumn = z.object({ name: z.string(), type: z.string() });

/** A page of one side of a step's preview. */
const SidePage = PreviewPage.extend({
  /**
   * For each row of a before or after page, the row of the other side from the same source
   * line, or -1 when there is none (the step dropped it, or made it): the grids scroll as one.
   * Under facets, its place among the other side's rows that pass them (-1: it does not).
   */
  twins: z.array(z.number()),
});

interface MethodSpec {
  summary: string;
  /**
   * `body: 'raw'`: the request body is the content itself (a file), streamed, not JSON.
   * `response: 'file'`: the result is a FileResult; over HTTP the response is the file itself.
   */
  http: { verb: 'GET' | 'POST' | 'PUT'; path: string; body?: 'raw'; response?: 'file' };
  params: z.ZodObject;
  result: z.ZodType;
}

/**
 * A file a method made for its caller, in a temporary folder: the HTTP server sends it as the
 * response (with its type and name) and deletes it; the CLI and the desktop app move it where
 * the user asked.
 */
export const FileResult = z.object({
  filename: z.string(),
  content_type: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  /** Made for this request: whoever takes it deletes it (an output file itself is not). */
  temporary: z.boolean(),
});

/** One name, or several (a query string repeats the key: ?pipeline=a&pipeline=b). */
const PipelineNames = z
  .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(500)])
  .transform((v) => (typeof v === 'string' ? [v] : v));

export const REPORT_FORMATS = ['html', 'xlsx', 'pdf', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const ConnectionFields = ConnectionDetails.shape;
const partialConnectionFields = {
  host: ConnectionFields.host.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: ConnectionFields.database.optional(),
  user: ConnectionFields.user.optional(),
  sslmode: SslMode.optional(),
};
/** A saved connection as lists show it: its details, never its password. */
export const ConnectionInfo = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number(),
  database: z.string(),
  user: z.string(),
  sslmode: SslMode,
  /** The URL recipes' loads use (without a password). */
  url: z.string(),
  /** A password is kept for it in the OS keychain. */
  password_kept: z.boolean(),
  /** SLUICE_PASSWORD_<NAME>, which wins over a kept password, is set in this process. */
  password_env: z.string(),
  password_env_set: z.boolean(),
  /** The open project's sluice.yaml names a connection the same: this saved one wins. */
  shadows_project: z.boolean(),
});

/** A saved version of a recipe: its sha256 (of the text as saved), when, and how long. */
export const RecipeVersionInfo = z.object({
  hash: z.string(),
  saved_at: z.string(),
  /** Lines in the text. */
  lines: z.number(),
});

function method<P extends z.ZodObject, R extends z.ZodType>(
  summary: string,
  http: MethodSpec['http'],
  params: P,
  result: R,
): { summary: string; http: MethodSpec['http']; params: P; result: R } {
  return { summary, http, params, result };
}

export const METHODS = {
  health: method(
    'Is the server up (no key needed)',
    { verb: 'GET', path: '/health' },
    z.object({}),
    z.object({ status: z.literal('ok'), version: z.string(), project: z.string() }),
  ),
  'project.get': method(
    "The open project and its pipelines, with each one's last run",
    { verb: 'GET', path: '/api/project' },
    z.object({}),
    z.object({
      name: z.string(),
      dir: z.string(),
      data_dir: z.string(),
      pipelines: z.array(PipelineInfo),
    }),
  ),
  'projects.recent': method(
    'The projects opened lately, newest first (those whose folder is gone are left out), and the open one',
    { verb: 'GET', path: '/api/projects/recent' },
    z.object({}),
    z.object({
      current: z.string(),
      items: z.array(z.object({ dir: z.string(), name: z.string().nullable() })),
    }),
  ),
  'projects.open': method(
    'Open another project folder (by its full path) in place of this one; with `create`, a folder without a sluice.yaml becomes a new, empty project. Refused while a run is in progress',
    { verb: 'POST', path: '/api/projects/open' },
    z.object({ dir: z.string().min(1).max(4096), create: z.boolean().default(false) }),
    z.object({ name: z.string(), dir: z.string(), created: z.boolean() }),
  ),
  'pipelines.get': method(
    'One pipeline: its recipe as YAML text and as parsed JSON',
    { verb: 'GET', path: '/api/pipelines/{name}' },
    z.object({ name: PipelineName }),
    z.object({ name: z.string(), file: z.string(), yaml: z.string(), recipe: z.unknown() }),
  ),
  'pipelines.validate': method(
    'Check every recipe against the real columns of its source',
    { verb: 'POST', path: '/api/pipelines/validate' },
    z.object({}),
    z.object({ ok: z.boolean(), problems: z.array(z.string()), not_checked: z.array(z.string()) }),
  ),
  'runs.start': method(
    'Start a run of the project (or of some pipelines and what depends on them); returns at once',
    { verb: 'POST', path: '/api/runs' },
    z.object({
      pipelines: z.array(PipelineName).optional(),
      only: z.boolean().default(false),
      date: Day.optional(),
      target: z.enum(['sqlite', 'postgres']).optional(),
      /** With target postgres: the connection (saved or in sluice.yaml) loads go to; default "default". */
      connection: ConnectionName.optional(),
      /** Where every pipeline's steps run (otherwise each pipeline's `engine`, else the project's). */
      engine: Engine.optional(),
    }),
    z.object({ run_id: z.string() }),
  ),
  'runs.resume': method(
    'Rerun what did not succeed in a finished run, reusing what did (same date and pipelines)',
    { verb: 'POST', path: '/api/runs/{run_id}/resume' },
    z.object({
      run_id: RunId,
      /** Where database outputs load, as for runs.start: part of each pipeline's recipe hash. */
      target: z.enum(['sqlite', 'postgres']).optional(),
      connection: ConnectionName.optional(),
      /** Where the steps run; otherwise where the resumed run ran them. */
      engine: Engine.optional(),
    }),
    z.object({ run_id: z.string() }),
  ),
  'runs.backfill': method(
    'One run per day of a date range for the named pipelines, at most `parallel` at a time; returns at once',
    { verb: 'POST', path: '/api/backfills' },
    z.object({
      pipelines: z.array(PipelineName).min(1),
      from: Day,
      to: Day,
      parallel: z.number().int().min(1).max(8).default(1),
      only: z.boolean().default(false),
      /** Where every day's steps run (otherwise each pipeline's engine), recorded with each run. */
      engine: Engine.optional(),
    }),
    z.object({ days: z.array(z.string()) }),
  ),
  'runs.cancel': method(
    'Cancel a running run, however it was started: its pipelines stop within a second or two and write nothing',
    { verb: 'POST', path: '/api/runs/{run_id}/cancel' },
    z.object({ run_id: RunId }),
    z.object({ cancelled: z.boolean() }),
  ),
  'runs.list': method(
    'Runs, newest first, filtered by status, pipeline and run date',
    { verb: 'GET', path: '/api/runs' },
    z.object({
      ...pageParams,
      status: RunStatus.optional(),
      pipeline: PipelineName.optional(),
      from: Day.optional(),
      to: Day.optional(),
    }),
    pageOf(RunSummary),
  ),
  'runs.get': method(
    'One run with its tasks, its plan and, while it runs, the planned pipelines not begun',
    { verb: 'GET', path: '/api/runs/{run_id}' },
    z.object({ run_id: RunId }),
    z.object({
      run: RunSummary,
      tasks: z.array(TaskSummary),
      /**
       * The planned pipelines of a running run that have not begun: waiting for what they need
       * or for a worker (empty once it has ended).
       */
      queued: z.array(z.string()),
    }),
  ),
  'runs.recipe': method(
    'The recipe one pipeline of a run ran: its hash, and its text as it was then',
    { verb: 'GET', path: '/api/runs/{run_id}/recipes/{pipeline}' },
    z.object({ run_id: RunId, pipeline: PipelineName }),
    z.object({
      pipeline: z.string(),
      /** sha256 of the pipeline as it ran (parsed, placeholders filled). */
      hash: z.string(),
      /** The YAML as it was read; null for runs recorded before Sluice kept recipes. */
      text: z.string().nullable(),
      /** When a task first ran this recipe; null as text is. */
      first_seen: z.string().nullable(),
    }),
  ),
  'logs.get': method(
    "A run's log lines, optionally one pipeline's and only the last N",
    { verb: 'GET', path: '/api/runs/{run_id}/logs' },
    z.object({
      run_id: RunId,
      pipeline: PipelineName.optional(),
      tail: z.coerce.number().int().min(1).max(100_000).optional(),
    }),
    z.object({ items: z.array(LogLine) }),
  ),
  'rejects.list': method(
    "A run's rejected and removed rows with line numbers, raw text and reasons",
    { verb: 'GET', path: '/api/runs/{run_id}/rejects' },
    z.object({ run_id: RunId, ...pageParams }),
    pageOf(RejectInfo),
  ),
  'rejects.export': method(
    "A run's rejected and removed rows as CSV text (formula-protected)",
    { verb: 'GET', path: '/api/runs/{run_id}/rejects/export' },
    z.object({ run_id: RunId }),
    z.object({ rows: z.number(), csv: z.string() }),
  ),
  'rejects.retry': method(
    'Load again the rows a database refused in a run, once the cause is fixed',
    { verb: 'POST', path: '/api/runs/{run_id}/rejects/retry' },
    z.object({ run_id: RunId }),
    z.object({
      results: z.array(
        z.object({
          pipeline: z.string(),
          step: z.string(),
          retried: z.number(),
          loaded: z.number(),
          still_refused: z.number(),
        }),
      ),
    }),
  ),
  'pipelines.save': method(
    "Save a pipeline's recipe (YAML text, comments kept as written) after checking it",
    // Not /api/pipelines/{name}: a pipeline may be called "validate".
    { verb: 'POST', path: '/api/pipelines/{name}/recipe' },
    z.object({ name: PipelineName, yaml: z.string().min(1).max(1_000_000) }),
    z.object({ name: z.string(), file: z.string() }),
  ),
  'pipelines.check': method(
    'Check a recipe as the editor holds it, unsaved: its YAML syntax, its schema, and every step against the columns that reach it (unknown columns, expressions that do not parse or type-check); each problem at its line, in plain words',
    { verb: 'POST', path: '/api/pipelines/{name}/check' },
    z.object({ name: PipelineName, yaml: z.string().min(1).max(1_000_000) }),
    z.object({
      ok: z.boolean(),
      problems: z.array(RecipeProblem),
      /** Why the steps were not checked against data (an input another pipeline writes is missing). */
      not_checked: z.string().nullable(),
    }),
  ),
  'pipelines.versions': method(
    "A pipeline's saved versions, newest first: each save keeps the text, its sha256 and the time",
    { verb: 'GET', path: '/api/pipelines/{name}/versions' },
    z.object({ name: PipelineName }),
    z.object({ items: z.array(RecipeVersionInfo) }),
  ),
  'pipelines.version': method(
    'One saved version of a pipeline (by its sha256, or a unique prefix of it), with its text',
    { verb: 'GET', path: '/api/pipelines/{name}/versions/{hash}' },
    z.object({ name: PipelineName, hash: z.string().regex(/^[0-9a-f]{4,64}$/) }),
    RecipeVersionInfo.extend({ text: z.string() }),
  ),
  'pipelines.preview': method(
    'The data just before and after one step (1-based): a page of each, the changed cells, the rows it dropped and why, and its whole-data counts. `yaml` previews an unsaved recipe; a newer preview of the same pipeline cancels an older one',
    { verb: 'POST', path: '/api/pipelines/{name}/preview' },
    z.object({
      name: PipelineName,
      step: z.number().int().min(1),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
      yaml: z.string().max(1_000_000).optional(),
    }),
    z.object({
      step: z.object({
        index: z.number(),
        name: z.string(),
        kind: z.string(),
        enabled: z.boolean(),
      }),
      before: SidePage,
      after: SidePage,
      /** Cells of the after page the step changed: [row of the page, column]. */
      changed: z.array(z.tuple([z.number(), z.string()])),
      /** The same cells, by their rows on the before page. */
      before_changed: z.array(z.tuple([z.number(), z.string()])),
      /** Columns of the after side the step changed any cell of, over every row. */
      changed_columns: z.array(z.string()),
      /** Rows of the before page the step rejected or removed, and why. */
      before_dropped: z.array(DroppedMark),
      dropped: z.array(
        z.object({
          kind: z.string(),
          line: z.number(),
          rule: z.string(),
          reason: z.string(),
          record: RowRecord,
        }),
      ),
      /** How many rows the step rejected or removed in all (`dropped` lists the first 200). */
      dropped_total: z.number(),
      /** The step's whole-data counts; null for a disabled step. */
      counts: StepCounts.nullable(),
    }),
  ),
  'pipelines.previewRows': method(
    "Rows of one side of a step's preview (before, after, or the rows it dropped: what, rule, reason, then the row), for scrolling: computed once over every row and then read from where it was kept. `changed` lists the cells that differ from the same source row on the other side. With `facets`, only the rows that pass them all, and each row's twin is its place among the other side's rows that pass them",
    { verb: 'POST', path: '/api/pipelines/{name}/preview/rows' },
    z.object({
      name: PipelineName,
      step: z.number().int().min(1),
      side: z.enum(['before', 'after', 'dropped']),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
      yaml: z.string().max(1_000_000).optional(),
      /** Only the rows passing every facet (`total` counts them); ignored by the dropped side. */
      facets: Facets,
    }),
    SidePage.extend({
      changed: z.array(z.tuple([z.number(), z.string()])),
      /** Rows of this page the step rejected or removed, and why (the before side only). */
      dropped: z.array(DroppedMark),
      /** Per facet: whether this side has its column (if not, it is ignored here). */
      facets_applied: z.array(z.boolean()),
    }),
  ),
  'pipelines.profile': method(
    "The profile of a step's data (after it, or before it) over every row: per column its type, empty share, distinct values, min and max, a histogram or top values. With facets, how many rows match them all, and each column profiled over the rows the facets on other columns let through",
    { verb: 'POST', path: '/api/pipelines/{name}/preview/profile' },
    z.object({
      ...StepData,
      top: z.number().int().min(1).max(100).default(20),
      bins: z.number().int().min(1).max(50).default(12),
    }),
    z.object({
      step: StepRef,
      side: z.enum(['before', 'after']),
      /** Rows of that side. */
      total: z.number(),
      /** Rows that pass every facet that applies to this side. */
      matching: z.number(),
      /** Each facet asked for, and whether this side has its column (if not, it is ignored). */
      facets: z.array(z.object({ facet: Facet, applied: z.boolean() })),
      columns: z.array(StepColumnProfile),
    }),
  ),
  'pipelines.clusters': method(
    "Clusters of near-identical values of a text column of a step's data, by key collision (fingerprint, or n-gram fingerprint with n = 2), with each value's count and a proposed value (the most common), over every row the facets on other columns let through",
    { verb: 'POST', path: '/api/pipelines/{name}/preview/clusters' },
    z.object({
      ...StepData,
      column: z.string().min(1),
      method: z.enum(['fingerprint', 'ngram']).default('fingerprint'),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    z.object({
      column: z.string(),
      method: z.enum(['fingerprint', 'ngram']),
      /** Distinct non-empty values of the column, and the rows holding them. */
      distinct: z.number(),
      rows: z.number(),
      /** Clusters found in all (`clusters` lists the first `limit`, largest first). */
      total_clusters: z.number(),
      clusters: z.array(
        z.object({
          key: z.string(),
          values: z.array(z.object({ value: z.string(), count: z.number() })),
          rows: z.number(),
          proposed: z.string(),
        }),
      ),
    }),
  ),
  'pipelines.previewFind': method(
    "Where in a step's preview the next row is, at or after `from`, that the step changed (either side) or dropped (the before side): its row index over every row, or null when there is none. With `facets`, among the rows that pass them all: `from` and the answer count those rows only, as the grids and previewRows do",
    { verb: 'POST', path: '/api/pipelines/{name}/preview/find' },
    z.object({
      name: PipelineName,
      step: z.number().int().min(1),
      side: z.enum(['before', 'after']),
      what: z.enum(['changed', 'dropped']),
      from: z.number().int().min(0).default(0),
      yaml: z.string().max(1_000_000).optional(),
      /** Only the rows passing every facet; `from` and `row` are places among them. */
      facets: Facets,
    }),
    z.object({ row: z.number().nullable() }),
  ),
  'pipelines.explain': method(
    "The SQL a pipeline's steps compile to for PostgreSQL (a chain of CTEs over its staged source), with the tables it reads; a step that SQL cannot run yet is named with its reason instead",
    { verb: 'POST', path: '/api/pipelines/{name}/explain' },
    z.object({ name: PipelineName }),
    z.object({
      /** Null when a step runs only with the local engine. */
      sql: z.string().nullable(),
      columns: z.array(StepColumn),
      /** Each input and the relation the SQL reads it from. */
      inputs: z.array(z.object({ input: z.string(), relation: z.string() })),
      /** "step 7 (normalize) runs only with the local engine: ..." */
      local_only: z.array(z.string()),
    }),
  ),
  'pipelines.columns': method(
    "Each step's input and output columns with their types, from the recipe alone (the source's header, other pipelines' outputs and joined files typed as a run types them; no rows run): what a form's column pickers offer. A step that does not fit its input says why and passes its columns on. `yaml` asks of an unsaved recipe",
    { verb: 'POST', path: '/api/pipelines/{name}/columns' },
    z.object({ name: PipelineName, yaml: z.string().max(1_000_000).optional() }),
    z.object({
      source: z.array(StepColumn),
      steps: z.array(
        z.object({
          /** 1-based, as pipelines.preview counts. */
          index: z.number().int(),
          kind: z.string(),
          enabled: z.boolean(),
          input: z.array(StepColumn),
          output: z.array(StepColumn),
          problem: z.string().nullable(),
        }),
      ),
    }),
  ),
  'pipelines.checkExpression': method(
    "Parse and type-check an expression as step `step` (1-based) would, against that step's input columns (for a derive column: and the columns derived before it): its type, or each problem with where it is in the text",
    { verb: 'POST', path: '/api/pipelines/{name}/expressions/check' },
    z.object({
      name: PipelineName,
      step: z.number().int().min(1),
      expression: z.string().max(100_000),
      /** The derive column it computes: the columns derived before it may be used. */
      column: z.string().min(1).optional(),
      yaml: z.string().max(1_000_000).optional(),
    }),
    z.object({
      /** A column type (int, float, string, boolean, date, datetime); null when it has errors. */
      type: z.string().nullable(),
      /** Problems, each over the characters [from, to) of the expression. */
      errors: z.array(z.object({ from: z.number(), to: z.number(), message: z.string() })),
    }),
  ),
  'pipelines.joinCounts': method(
    "How the keys of a join step (1-based) meet over all rows before any run: left rows with a match, left rows without, right rows never matched, rows a fan-out adds and keys repeated on the right. Computed as that step's preview is (and shared with it)",
    { verb: 'POST', path: '/api/pipelines/{name}/join-counts' },
    z.object({
      name: PipelineName,
      step: z.number().int().min(1),
      yaml: z.string().max(1_000_000).optional(),
    }),
    z.object({
      left_rows: z.number(),
      matched: z.number(),
      left_only: z.number(),
      right_only: z.number(),
      fan_out_rows: z.number(),
      right_duplicate_keys: z.number(),
    }),
  ),
  'profiles.get': method(
    'Profile a CSV file of the project over all its rows: types, nulls, distinct values, a suggested key',
    { verb: 'GET', path: '/api/profile' },
    z.object({ path: z.string().min(1).max(1000) }),
    z.object({
      rows: z.number(),
      suggested_key: z.array(z.string()).nullable(),
      source: FileSource,
      columns: z.array(ColumnProfile),
      /** Lines that could not be read as rows (ragged, broken quotes, undecodable bytes). */
      rejected_lines: z.number(),
      blank_lines: z.number(),
    }),
  ),
  'metadata.outputs': method(
    'What the pipelines wrote in their last successful runs: files and tables with row counts',
    { verb: 'GET', path: '/api/metadata/outputs' },
    z.object({}),
    z.object({
      items: z.array(
        z.object({
          pipeline: z.string(),
          kind: z.string(),
          target: z.string(),
          table: z.string().nullable(),
          rows: z.number(),
          run_id: z.string(),
          finished_at: z.string().nullable(),
        }),
      ),
    }),
  ),
  'metrics.summary': method(
    'Run metrics of the project: totals, success rate, mean duration',
    { verb: 'GET', path: '/api/metrics' },
    z.object({}),
    z.object({
      runs: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      cancelled: z.number(),
      interrupted: z.number(),
      success_rate: z.number().nullable(),
      mean_duration_ms: z.number().nullable(),
      rows_in: z.number(),
      rows_out: z.number(),
      rows_rejected: z.number(),
    }),
  ),
  'files.upload': method(
    "Store a file in the project's data folder: the request body is the file's bytes, streamed (HTTP only; the desktop app passes paths instead)",
    { verb: 'PUT', path: '/api/files/{name}', body: 'raw' },
    z.object({ name: FileName, replace: z.stringbool().default(false) }),
    z.object({ path: z.string(), bytes: z.number() }),
  ),
  'imports.inspect': method(
    'What Sluice infers from a CSV file (encoding, delimiter, header, column types, suggested key) with its first rows and the recipe it would write; settings given override the inferred ones; with a key, how many rows repeat it over the whole file',
    { verb: 'POST', path: '/api/imports/inspect' },
    z.object({
      path: z.string().min(1).max(1000),
      encoding: Encoding.optional(),
      delimiter: Delimiter.optional(),
      header: z.boolean().optional(),
      rows: z.number().int().min(1).max(500).default(20),
      /** A key to check over every row (key_check answers); the recipe is written with it. */
      key: z.array(z.string().min(1)).min(1).max(50).optional(),
    }),
    z.object({
      path: z.string(),
      name: z.string(),
      exists: z.boolean(),
      encoding: TextEncoding,
      encoding_reason: z.string(),
      delimiter: Delimiter,
      header: z.boolean(),
      rows: z.number(),
      rejected_lines: z.number(),
      suggested_key: z.array(z.string()).nullable(),
      columns: z.array(ColumnProfile),
      sample: PreviewPage,
      yaml: z.string(),
      /** Whether the key asked for is unique over every row; null when none was asked. */
      key_check: KeyCheck.nullable(),
    }),
  ),
  'imports.create': method(
    'Create a pipeline for a CSV file from what inference found, with the settings and key given instead where given',
    { verb: 'POST', path: '/api/imports' },
    z.object({
      path: z.string().min(1).max(1000),
      name: PipelineName.optional(),
      encoding: Encoding.optional(),
      delimiter: Delimiter.optional(),
      header: z.boolean().optional(),
      key: z.array(z.string()).nullable().optional(),
      replace: z.boolean().default(false),
    }),
    z.object({ name: z.string(), file: z.string(), yaml: z.string() }),
  ),
  'reports.export': method(
    "A run's summary as a report file: JSON (run, tasks, outputs) or CSV (a row per pipeline)",
    { verb: 'GET', path: '/api/runs/{run_id}/report' },
    z.object({ run_id: RunId, format: z.enum(['json', 'csv']).default('json') }),
    z.object({ filename: z.string(), content_type: z.string(), content: z.string() }),
  ),
  'reports.download': method(
    "A run's report as a file: one self-contained HTML page, an Excel workbook (a Summary sheet and the report outputs), a PDF (needs Chromium), JSON or CSV",
    { verb: 'GET', path: '/api/runs/{run_id}/report/file', response: 'file' },
    z.object({
      run_id: RunId,
      format: z.enum(REPORT_FORMATS).default('html'),
      /** Only these pipelines (all by default); for xlsx, the outputs to give a sheet each. */
      pipeline: PipelineNames.optional(),
    }),
    FileResult,
  ),
  'outputs.list': method(
    "Every output of a run, or with no run named each pipeline's latest: files and database tables, with rows, size and time, and whether the window can open it",
    { verb: 'GET', path: '/api/outputs' },
    z.object({ run_id: RunId.optional() }),
    z.object({
      run: z
        .object({
          id: z.string(),
          status: RunStatus,
          started_at: z.string(),
          run_date: z.string().nullable(),
        })
        .nullable(),
      outputs: z.array(
        z.object({
          /** The run that wrote it (with no run named: each pipeline's latest). */
          run_id: z.string(),
          pipeline: z.string(),
          description: z.string().nullable(),
          /** A report pipeline (`report: true`, or named report_…): the project's reports. */
          report: z.boolean(),
          /** Its place among the pipeline's outputs (outputs.page, outputs.download). */
          output: z.number().int(),
          kind: z.string(),
          path: z.string(),
          table: z.string().nullable(),
          rows: z.number().int(),
          bytes: z.number().int().nullable(),
          modified: z.string().nullable(),
          /** The file was written again after this run: what opens is the newer one. */
          changed: z.boolean(),
          /** Why it cannot be opened here (null: it can). */
          cannot_open: z.string().nullable(),
        }),
      ),
    }),
  ),
  'outputs.page': method(
    "A page of one output of a run, typed, in a column's order",
    { verb: 'GET', path: '/api/runs/{run_id}/outputs/{pipeline}/rows' },
    z.object({
      run_id: RunId,
      pipeline: z.string().min(1).max(200),
      output: z.coerce.number().int().min(0).default(0),
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      sort: z.string().max(300).optional(),
      desc: z
        .union([z.boolean(), z.enum(['true', 'false'])])
        .transform((v) => v === true || v === 'true')
        .default(false),
    }),
    z.object({
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
      total: z.number().int(),
    }),
  ),
  'outputs.download': method(
    'One output of a run (a file, or a table read back from SQLite or PostgreSQL) as CSV or as an Excel workbook with typed cells',
    { verb: 'GET', path: '/api/runs/{run_id}/outputs/{pipeline}/file', response: 'file' },
    z.object({
      run_id: RunId,
      pipeline: z.string().min(1).max(200),
      format: z.enum(['csv', 'xlsx']).default('csv'),
      /** Which of the pipeline's outputs (0: the first), as outputs.list numbers them. */
      output: z.coerce.number().int().min(0).default(0),
    }),
    FileResult,
  ),
  'connections.list': method(
    "The user's saved PostgreSQL connections (never a password: whether one is kept, and where from)",
    { verb: 'GET', path: '/api/connections' },
    z.object({}),
    z.object({ connections: z.array(ConnectionInfo), keychain: z.boolean() }),
  ),
  'connections.save': method(
    'Add or edit a saved connection; a password is kept in the OS keychain only (omitted: the kept one stays; null: forgotten)',
    { verb: 'POST', path: '/api/connections' },
    z.object({
      name: ConnectionName,
      ...ConnectionFields,
      password: z.string().max(1000).nullable().optional(),
      /** true: edit a saved one (not_found otherwise); false: add a new name (conflict otherwise). */
      exists: z.boolean().optional(),
    }),
    ConnectionInfo,
  ),
  'connections.remove': method(
    'Remove a saved connection and forget its kept password',
    { verb: 'POST', path: '/api/connections/{name}/remove' },
    z.object({ name: ConnectionName }),
    z.object({ name: z.string(), password_forgotten: z.boolean() }),
  ),
  'connections.test': method(
    "Connect and ask the server's version: a saved connection by name, or details from the form (with a name too, its kept password, sent only when the server, database and user are the saved ones); at most timeout_s seconds",
    { verb: 'POST', path: '/api/connections/test' },
    z.object({
      name: ConnectionName.optional(),
      ...partialConnectionFields,
      password: z.string().max(1000).optional(),
      timeout_s: z.number().int().min(1).max(60).default(10),
    }),
    z.object({
      ok: z.boolean(),
      version: z.string().nullable(),
      error: z.string().nullable(),
      target: z.string(),
    }),
  ),
} satisfies Record<string, MethodSpec>;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.infer<Methods[M]['result']>;

/**
 * Streams over HTTP as Server-Sent Events. `logs.follow` sends a run's log lines (event `log`,
 * data a LogLine) as they are written, then `end` with the run's status.
 */
export const STREAMS = {
  events: {
    summary:
      'Every event of this server: run.progress, task.state, run.state, log (runs started elsewhere told from the run store)',
    path: '/api/events',
    params: z.object({}),
  },
  'logs.follow': {
    summary:
      "Follow a run's log: the lines so far (or the last `tail`), then each new one, then an `end` event with the run's status",
    path: '/api/runs/{run_id}/logs/follow',
    params: z.object({
      run_id: RunId,
      pipeline: PipelineName.optional(),
      tail: z.coerce.number().int().min(1).max(100_000).optional(),
    }),
  },
} as const;

/**
 * What subscribers receive (IPC, and `GET /api/events` as the data of each event): run
 * progress, task and run state changes, log lines, another project opened, preview progress.
 */
export const ApiEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run.progress'),
    run_id: z.string(),
    pipeline: z.string(),
    rows: z.number(),
    rows_per_second: z.number().nullable(),
    /** What the pipeline is doing (reading, loading a table, …). */
    stage: z.string().nullable(),
  }),
  z.object({
    type: z.literal('task.state'),
    run_id: z.string(),
    pipeline: z.string(),
    status: TaskStatus,
  }),
  z.object({
    type: z.literal('run.state'),
    run_id: z.string(),
    status: RunStatus,
    /** With status running, as the run starts: the pipelines it will run, in order. */
    planned: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal('log'),
    run_id: z.string(),
    level: LogLevel,
    pipeline: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ type: z.literal('project.opened'), dir: z.string(), name: z.string() }),
  /** A step's preview being computed: how many source rows it has read (every 100,000). */
  z.object({
    type: z.literal('preview.progress'),
    pipeline: z.string(),
    step: z.number(),
    rows: z.number(),
  }),
]);
export type ApiEvent = z.infer<typeof ApiEvent>;

/**
 * An event as it arrives from a transport, checked: null for one this contract does not know
 * (an unknown type or status, a missing field), which a client should skip, not act on.
 */
export function eventOf(data: unknown): ApiEvent | null {
  const r = ApiEvent.safeParse(data);
  return r.success ? r.data : null;
}
