/** Schemas of a project (`sluice.yaml`) and of a pipeline (`pipelines/*.yaml`). */
import { z } from 'zod';
import { Step } from './steps';
import { bareRecord } from './bare-record';
import { userRecord } from './user-record';
import { Delimiter, EncodingSetting } from '../vocabulary';

/** A PostgreSQL table or query as a source, on a connection as outputs name them. */
export const PostgresSource = z
  .strictObject({
    /** schema.table, or a table on the server's search path... */
    table: z.string().min(1).optional(),
    /** ...or a query whose rows are the source. */
    query: z.string().min(1).optional(),
    /** A connection named in sluice.yaml or saved; "default" is the one at DATABASE_URL. */
    connection: z.string().min(1).default('default'),
  })
  .refine((s) => (s.table === undefined) !== (s.query === undefined), {
    message: 'a postgres source has either a table or a query',
  });
export type PostgresSource = z.infer<typeof PostgresSource>;

export const SourceSettings = z
  .strictObject({
    /** A CSV file, relative to the project's data folder. */
    path: z.string().min(1).optional(),
    /** Or another pipeline's output, read back with its column types. */
    pipeline: z.string().min(1).optional(),
    /** Or a PostgreSQL table or query, streamed with its column types. */
    postgres: PostgresSource.optional(),
    encoding: EncodingSetting.default('auto'),
    delimiter: z.union([z.literal('auto'), Delimiter]).default('auto'),
    header: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    quote: z.string().length(1).default('"'),
    /** Column names to use when the file has no header row. */
    columns: z.array(z.string().min(1)).optional(),
  })
  .refine((s) => [s.path, s.pipeline, s.postgres].filter((x) => x !== undefined).length === 1, {
    message: 'a source has either a path, a pipeline or postgres',
  });
export type SourceSettings = z.infer<typeof SourceSettings>;

export const CsvOutput = z.strictObject({
  kind: z.literal('csv'),
  path: z.string().min(1),
  delimiter: Delimiter.default(','),
  formula_protection: z.boolean().default(true),
});
/** The settings every database output shares. */
const loadSettings = {
  table: z.string().min(1),
  /**
   * full: replace the table's rows in one transaction; append: add all rows; upsert: insert
   * new keys and update changed rows; incremental: only rows newer than the last load's
   * watermark, or new and changed rows by key.
   */
  mode: z.enum(['full', 'append', 'upsert', 'incremental']).default('full'),
  key: z.array(z.string().min(1)).min(1).optional(),
  watermark: z.string().min(1).optional(),
  /** For upsert: update rows whose key exists, or leave them as they are. */
  on_conflict: z.enum(['update', 'ignore']).default('update'),
  /** A row the database refuses: skip it (rejected, the load goes on) or stop (roll back). */
  on_violation: z.enum(['skip', 'stop']).default('stop'),
};

type LoadSettings = { mode: string; key?: string[]; watermark?: string };

/** The rules between the load settings, for any database output schema. */
function loadRules<T extends z.ZodType<LoadSettings>>(schema: T): T {
  return schema
    .refine((o) => o.mode !== 'upsert' || o.key !== undefined, {
      message: 'upsert needs a key',
      path: ['key'],
    })
    .refine((o) => o.mode !== 'incremental' || o.key !== undefined || o.watermark !== undefined, {
      message: 'incremental needs a key or a watermark column',
      path: ['mode'],
    }) as unknown as T;
}

export const SqliteOutput = loadRules(
  z.strictObject({
    kind: z.literal('sqlite'),
    /** Database file, relative to the project; default out/<project>.sqlite. */
    path: z.string().min(1).optional(),
    ...loadSettings,
  }),
);
export type SqliteOutput = z.infer<typeof SqliteOutput>;

export const PostgresOutput = loadRules(
  z.strictObject({
    kind: z.literal('postgres'),
    /** A connection named in sluice.yaml; "default" is the one at DATABASE_URL. */
    connection: z.string().min(1).default('default'),
    schema: z.string().min(1).default('sluice'),
    ...loadSettings,
  }),
);
export type PostgresOutput = z.infer<typeof PostgresOutput>;

export const Output = z.discriminatedUnion('kind', [CsvOutput, SqliteOutput, PostgresOutput]);
export type Output = z.infer<typeof Output>;

/** When a pipeline runs by itself under `sluice schedule`: a cron pattern in a time zone. */
export const Schedule = z.strictObject({
  cron: z.string().min(1),
  /** IANA time zone (Europe/Berlin); the machine's when missing. Also sets the run's date. */
  timezone: z.string().min(1).optional(),
  /** Run the intervals missed since the last recorded run when the scheduler starts. */
  catchup: z.boolean().default(true),
  /** Runs of this pipeline at the same time, when catching up. */
  max_active_runs: z.number().int().min(1).max(64).default(1),
  /** Where catch-up starts for a pipeline that has never run (otherwise it does not). */
  start_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
    .optional(),
});
export type Schedule = z.infer<typeof Schedule>;

/** A folder whose new or changed CSV files each trigger a run with that file as the source. */
export const Watch = z.strictObject({
  /** Relative to the data folder. */
  folder: z.string().min(1),
  /** File names to react to, with * and ? wildcards. */
  pattern: z.string().min(1).default('*.csv'),
  /** A file counts as finished once its size has not changed for this many milliseconds. */
  stable_ms: z.number().int().min(50).default(1000),
});
export type Watch = z.infer<typeof Watch>;

/**
 * Where a pipeline's steps run: here (local), or compiled to SQL and run on the PostgreSQL
 * server (docs/sql-engine.md).
 */
export const Engine = z.enum(['local', 'postgres']);
export type Engine = z.infer<typeof Engine>;

export const Pipeline = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (no spaces or slashes)'),
  description: z.string().optional(),
  /**
   * Its outputs are reports: the window lists them under Reports by their description, and an
   * Excel report gives each a sheet. Default: when the name starts with `report_`.
   */
  report: z.boolean().optional(),
  source: SourceSettings,
  steps: z.array(Step).default([]),
  outputs: z.array(Output).default([]),
  /** The project's `defaults.engine` otherwise; `sluice run --engine` overrides both. */
  engine: Engine.optional(),
  /** Fail the run when more than this share of the source rows is rejected (0..1). */
  max_reject_rate: z.number().min(0).max(1).optional(),
  depends_on: z.array(z.string()).default([]),
  /** Attempts after a failure (the project's `defaults.retries` otherwise). */
  retries: z.number().int().min(0).max(100).optional(),
  /** Seconds before the first retry; each later wait is `retry_backoff` times the one before. */
  retry_delay: z.number().min(0).optional(),
  retry_backoff: z.number().min(1).optional(),
  /** Seconds one attempt may take before it is stopped and counts as failed. */
  timeout: z.number().positive().optional(),
  schedule: Schedule.optional(),
  watch: Watch.optional(),
});
export type Pipeline = z.infer<typeof Pipeline>;
export type PipelineInput = z.input<typeof Pipeline>;

export const Project = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Run store file; relative paths resolve against the project folder. */
  store: z.string().optional(),
  /** Folder that source paths resolve against, relative to the project (`--data` overrides). */
  data: z.string().default('.'),
  /**
   * Folders outside the project and its data folder that recipes may read and write, relative
   * to the project or absolute. Only the person at the desktop or the command line sets this:
   * the API never writes sluice.yaml.
   */
  allow_paths: z.array(z.string().min(1)).default([]),
  /**
   * PostgreSQL connections by name. No password here: it comes from the environment
   * (SLUICE_PASSWORD_<NAME>, or PGPASSWORD).
   */
  connections: userRecord(
    z.strictObject({
      url: z
        .string()
        .regex(
          /^postgres(ql)?:\/\/[^:@/]*@|^postgres(ql)?:\/\/[^@]*$/,
          'a postgres:// URL without a password',
        ),
    }),
  ).default(() => bareRecord<{ url: string }>()),
  /** Headless notifications of finished runs: a shell command and/or a webhook (POST JSON). */
  notify: z
    .strictObject({
      on: z
        .array(z.enum(['failure', 'success']))
        .min(1)
        .default(['failure']),
      command: z.string().min(1).optional(),
      webhook: z.url({ protocol: /^https?$/ }).optional(),
    })
    .refine((n) => n.command !== undefined || n.webhook !== undefined, {
      message: 'give a command, a webhook, or both',
    })
    .optional(),
  /** Worker threads that run pipelines side by side (default: the number of cores). */
  workers: z.number().int().min(1).max(64).optional(),
  defaults: z
    .strictObject({
      max_reject_rate: z.number().min(0).max(1).default(1),
      retries: z.number().int().min(0).max(100).default(0),
      retry_delay: z.number().min(0).default(10),
      retry_backoff: z.number().min(1).default(2),
      timeout: z.number().positive().optional(),
      /** Absent means local (and keeps the recipe hashes of projects that do not say). */
      engine: Engine.optional(),
    })
    .default({
      max_reject_rate: 1,
      retries: 0,
      retry_delay: 10,
      retry_backoff: 2,
    }),
});
export type Project = z.infer<typeof Project>;
