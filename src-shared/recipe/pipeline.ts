/** Schemas of a project (`sluice.yaml`) and of a pipeline (`pipelines/*.yaml`). */
import { z } from 'zod';
import { Step } from './steps';

export const ENCODINGS = [
  'auto',
  'utf-8',
  'windows-1252',
  'utf-16le',
  'utf-16be',
  'latin1',
] as const;
export const Encoding = z.enum(ENCODINGS);

export const SourceSettings = z
  .strictObject({
    /** A CSV file, relative to the project's data folder. */
    path: z.string().min(1).optional(),
    /** Or another pipeline's output, read back with its column types. */
    pipeline: z.string().min(1).optional(),
    encoding: Encoding.default('auto'),
    delimiter: z.union([z.literal('auto'), z.enum([',', ';', '\t', '|'])]).default('auto'),
    header: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    quote: z.string().length(1).default('"'),
    /** Column names to use when the file has no header row. */
    columns: z.array(z.string().min(1)).optional(),
  })
  .refine((s) => (s.path === undefined) !== (s.pipeline === undefined), {
    message: 'a source has either a path or a pipeline',
  });
export type SourceSettings = z.infer<typeof SourceSettings>;

export const CsvOutput = z.strictObject({
  kind: z.literal('csv'),
  path: z.string().min(1),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
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

export const Pipeline = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (no spaces or slashes)'),
  description: z.string().optional(),
  source: SourceSettings,
  steps: z.array(Step).default([]),
  outputs: z.array(Output).default([]),
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
   * PostgreSQL connections by name. No password here: it comes from the environment
   * (SLUICE_PASSWORD_<NAME>, or PGPASSWORD).
   */
  connections: z
    .record(
      z.string().min(1),
      z.strictObject({
        url: z
          .string()
          .regex(
            /^postgres(ql)?:\/\/[^:@/]*@|^postgres(ql)?:\/\/[^@]*$/,
            'a postgres:// URL without a password',
          ),
      }),
    )
    .default({}),
  /** Worker threads that run pipelines side by side (default: the number of cores). */
  workers: z.number().int().min(1).max(64).optional(),
  defaults: z
    .strictObject({
      max_reject_rate: z.number().min(0).max(1).default(1),
      retries: z.number().int().min(0).max(100).default(0),
      retry_delay: z.number().min(0).default(10),
      retry_backoff: z.number().min(1).default(2),
      timeout: z.number().positive().optional(),
    })
    .default({ max_reject_rate: 1, retries: 0, retry_delay: 10, retry_backoff: 2 }),
});
export type Project = z.infer<typeof Project>;
