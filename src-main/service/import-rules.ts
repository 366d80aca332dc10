/**
 * `sluice import-rules`: reads the earlier system's cleaning-rules YAML (`cleaning_rules:` with
 * duplicates, date_columns, type_conversions, missing_values, validations, and
 * `quality_checks:`) and writes the equivalent Sluice pipeline. Column names are matched to
 * the CSV's header loosely (customer_key finds CustomerKey), since the old system renamed
 * columns to snake_case before cleaning.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../io/confine';
import { allowFolders } from './allow-paths';
import { Document } from 'yaml';
import { z } from 'zod';
import type { PipelineInput } from '../../src-shared/recipe/pipeline';
import { Pipeline, Project } from '../../src-shared/recipe/pipeline';
import type { ColumnType, FillStrategy } from '../../src-shared/recipe/steps';
import { bareRecord, ownValue } from '../../src-shared/recipe/bare-record';
import { userRecord } from '../../src-shared/recipe/user-record';
import { openCsv } from '../io/csv-read';
import { formatIssue, parseYaml } from '../io/recipe-load';
import { pipelineName } from './import';

export class RulesError extends Error {}

const Handle = z.string().optional();
const LegacyRules = z.looseObject({
  source: z
    .looseObject({ csv_file: z.string().optional(), type: z.string().optional() })
    .optional(),
  destination: z
    .looseObject({
      table: z.string().optional(),
      mode: z.string().optional(),
      merge_keys: z.array(z.string()).optional(),
    })
    .optional(),
  cleaning_rules: z
    .looseObject({
      duplicates: z
        .looseObject({
          enabled: z.boolean().default(true),
          subset: z.array(z.string()).optional(),
          keep: z.union([z.string(), z.literal(false)]).default('first'),
        })
        .optional(),
      date_columns: userRecord(
        z.looseObject({
          input_formats: z.array(z.string()).min(1),
          output_format: z.string().optional(),
          handle_invalid: Handle,
        }),
        z.string(),
      ).optional(),
      type_conversions: userRecord(
        z.looseObject({ target_type: z.string(), handle_errors: Handle }),
        z.string(),
      ).optional(),
      missing_values: userRecord(
        z.looseObject({
          strategy: z.string(),
          fill_value: z.union([z.string(), z.number(), z.boolean()]).optional(),
        }),
        z.string(),
      ).optional(),
      validations: userRecord(
        z.looseObject({
          pattern: z.string().optional(),
          handle_invalid: Handle,
          replacement_value: z.union([z.string(), z.number()]).optional(),
          min: z.number().optional(),
          max: z.number().optional(),
          allowed_values: z.array(z.union([z.string(), z.number()])).optional(),
        }),
        z.string(),
      ).optional(),
    })
    .optional(),
  quality_checks: z
    .array(
      z.looseObject({
        check: z.string(),
        column: z.string().optional(),
        format: z.string().optional(),
        expected_type: z.string().optional(),
      }),
    )
    .optional(),
});
type LegacyRules = z.infer<typeof LegacyRules>;

/** strptime formats to Sluice tokens; strptime reads %m, %d, %H... with one or two digits. */
export function fromStrftime(fmt: string): string {
  const map: Record<string, string> = {
    Y: 'yyyy',
    y: 'yy',
    m: 'M',
    d: 'd',
    H: 'H',
    I: 'h',
    M: 'm',
    S: 's',
    f: 'SSS',
    p: 'a',
    b: 'MMM',
    B: 'MMMM',
    '%': "'%'",
  };
  let out = '';
  let literal = '';
  const flush = (): void => {
    if (literal) out += /[A-Za-z']/.test(literal) ? `'${literal.replace(/'/g, "''")}'` : literal;
    literal = '';
  };
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] === '%' && i + 1 < fmt.length) {
      const tok = ownValue(map, fmt[i + 1]);
      if (!tok)
        throw new RulesError(`date format "${fmt}": %${fmt[i + 1]} has no Sluice equivalent`);
      flush();
      out += tok;
      i++;
    } else literal += fmt[i];
  }
  flush();
  return out;
}

const TYPES: Record<string, ColumnType> = {
  int: 'int',
  integer: 'int',
  int64: 'int',
  float: 'float',
  float64: 'float',
  double: 'float',
  decimal: 'decimal',
  numeric: 'decimal',
  bool: 'boolean',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  str: 'string',
  string: 'string',
};

type RuleInput = Extract<
  NonNullable<PipelineInput['steps']>[number],
  { step: 'validate' }
>['rules'][number];

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface RulesImport {
  pipeline: PipelineInput;
  notes: string[];
}

/** Turns parsed legacy rules into a Sluice pipeline, resolving column names against `header`. */
export function convertRules(
  rules: LegacyRules,
  name: string,
  sourcePath: string,
  header: string[] | null,
): RulesImport {
  const notes: string[] = [];
  const byNorm = new Map((header ?? []).map((h) => [norm(h), h]));
  const col = (c: string): string => {
    if (!header) return c;
    if (header.includes(c)) return c;
    const hit = byNorm.get(norm(c));
    if (!hit)
      throw new RulesError(
        `rule column "${c}" matches no column of the source (${header.join(', ')})`,
      );
    const note = `column ${c} is ${hit} in the source`;
    if (!notes.includes(note)) notes.push(note);
    return hit;
  };
  const cr = rules.cleaning_rules ?? {};
  const steps: PipelineInput['steps'] = [{ step: 'trim' }, { step: 'nullify' }];
  for (const [c, d] of Object.entries(cr.date_columns ?? {})) {
    steps.push({
      step: 'parse_dates',
      name: `dates ${c}`,
      columns: [col(c)],
      formats: d.input_formats.map(fromStrftime),
      on_invalid: d.handle_invalid === 'reject' ? 'reject' : 'null',
    });
    if (d.output_format)
      notes.push(`${c}: output_format ${d.output_format} not kept; Sluice writes ISO 8601 dates`);
  }
  const casts = bareRecord<ColumnType>();
  let castError: 'reject' | 'null' | 'keep' = 'reject';
  for (const [c, t] of Object.entries(cr.type_conversions ?? {})) {
    const type = ownValue(TYPES, t.target_type.toLowerCase());
    if (!type)
      throw new RulesError(`type_conversions.${c}: unknown target_type "${t.target_type}"`);
    casts[col(c)] = type;
    castError =
      t.handle_errors === 'reject'
        ? 'reject'
        : t.handle_errors === 'ignore'
          ? 'keep'
          : t.handle_errors
            ? 'null'
            : castError;
  }
  if (Object.keys(casts).length) steps.push({ step: 'cast', columns: casts, on_error: castError });
  const dup = cr.duplicates;
  if (dup && dup.enabled !== false) {
    steps.push({
      step: 'dedupe',
      ...(dup.subset ? { key: dup.subset.map(col) } : {}),
      keep:
        dup.keep === false || dup.keep === 'none' ? 'none' : dup.keep === 'last' ? 'last' : 'first',
    });
  }
  const fills = bareRecord<FillStrategy>();
  for (const [c, m] of Object.entries(cr.missing_values ?? {})) {
    const s = m.strategy.toLowerCase();
    const known: Record<string, string> = {
      mean: 'mean',
      median: 'median',
      mode: 'mode',
      drop: 'drop',
      ffill: 'forward_fill',
      forward_fill: 'forward_fill',
      bfill: 'backward_fill',
      backward_fill: 'backward_fill',
    };
    const strategy = ownValue(known, s);
    if (strategy) fills[col(c)] = strategy as FillStrategy;
    else if ((s === 'fill' || s === 'constant') && m.fill_value !== undefined)
      fills[col(c)] = { constant: m.fill_value };
    else throw new RulesError(`missing_values.${c}: unknown strategy "${m.strategy}"`);
  }
  if (Object.keys(fills).length) steps.push({ step: 'fill_missing', columns: fills });
  const rulesOut: RuleInput[] = [];
  for (const [c, v] of Object.entries(cr.validations ?? {})) {
    const onInvalid =
      v.handle_invalid === 'replace'
        ? 'replace'
        : v.handle_invalid === 'null' || v.handle_invalid === 'nullify'
          ? 'null'
          : v.handle_invalid === 'flag'
            ? 'flag'
            : 'reject';
    rulesOut.push({
      column: col(c),
      ...(v.pattern ? { regex: v.pattern } : {}),
      ...(v.min !== undefined || v.max !== undefined ? { range: { min: v.min, max: v.max } } : {}),
      ...(v.allowed_values ? { allowed: v.allowed_values } : {}),
      on_invalid: onInvalid,
      ...(onInvalid === 'replace' ? { replacement: v.replacement_value } : {}),
    });
  }
  if (rulesOut.length) steps.push({ step: 'validate', name: 'validations', rules: rulesOut });
  const checks: RuleInput[] = [];
  for (const q of rules.quality_checks ?? []) {
    if (q.check === 'no_duplicates' && q.column)
      checks.push({ column: col(q.column), unique: true, on_invalid: 'reject' });
    else if (q.check === 'not_null' && q.column)
      checks.push({ column: col(q.column), not_null: true, on_invalid: 'reject' });
    else
      notes.push(
        `quality check ${q.check}${q.column ? ` on ${q.column}` : ''}: covered by the typed steps above`,
      );
  }
  if (checks.length) steps.push({ step: 'validate', name: 'quality checks', rules: checks });
  return {
    pipeline: { name, source: { path: sourcePath }, steps, outputs: [outputFor(rules, name, col)] },
    notes,
  };
}

const MODES: Record<string, 'full' | 'append' | 'upsert'> = {
  replace: 'full',
  full: 'full',
  append: 'append',
  upsert: 'upsert',
};

/**
 * The database table the rules loaded into becomes a database output (the project's SQLite
 * file; `sluice run --target postgres` sends it to PostgreSQL), with the same mode and key.
 * Without a destination table the pipeline writes a CSV file.
 */
function outputFor(
  rules: LegacyRules,
  name: string,
  col: (c: string) => string,
): NonNullable<PipelineInput['outputs']>[number] {
  const d = rules.destination;
  if (!d?.table) return { kind: 'csv', path: `out/${name}.csv` };
  const mode = ownValue(MODES, (d.mode ?? 'replace').toLowerCase());
  if (!mode)
    throw new RulesError(
      `destination.mode "${d.mode}" is not one of ${Object.keys(MODES).join(', ')}`,
    );
  if (mode !== 'upsert') return { kind: 'sqlite', table: d.table, mode };
  if (!d.merge_keys?.length) throw new RulesError('destination: upsert needs merge_keys');
  return { kind: 'sqlite', table: d.table, mode, key: d.merge_keys.map(col) };
}

/** The project's data folder as its sluice.yaml names it ('.' for a new project). */
async function dataFolder(projectDir: string): Promise<string> {
  const file = join(projectDir, 'sluice.yaml');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return '.';
  const r = parseYaml(file, text, Project);
  if (!r.ok) throw new RulesError(r.issues.map(formatIssue).join('\n'));
  return r.value.data;
}

export async function importRules(
  file: string,
  opts: { into: string; source?: string; name?: string; force?: boolean },
): Promise<{ file: string; notes: string[] }> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new RulesError(`${file}: cannot read: ${e.code ?? e.message}`);
  });
  const parsed = parseYaml(file, text, LegacyRules);
  if (!parsed.ok)
    throw new RulesError(
      parsed.issues
        .map((i) => `${i.file}:${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`)
        .join('\n'),
    );
  const rules = parsed.value;
  if (!rules.cleaning_rules) throw new RulesError(`${file}: no cleaning_rules: section`);
  const projectDir = resolve(opts.into);
  const dataDir = resolve(projectDir, await dataFolder(projectDir));
  const csv = opts.source ?? rules.source?.csv_file;
  if (!csv) throw new RulesError(`${file}: no source.csv_file; pass --source FILE.csv`);
  // A recipe's source is relative to the data folder: so is a relative csv_file. (The CLI
  // makes a --source given on the command line absolute, from the current folder.)
  const csvPath = resolve(dataDir, csv);
  const sourcePath = relative(dataDir, csvPath).split(sep).join('/');
  const header = existsSync(csvPath) ? (await openCsv(csvPath)).info.columns : null;
  const name =
    opts.name ??
    pipelineName(rules.destination?.table?.replace(/^output_|_cleaned$/g, '') ?? basename(csvPath));
  const { pipeline, notes } = convertRules(rules, name, sourcePath, header);
  if (!header) notes.push(`${csvPath} was not found, so column names were taken as written`);
  if (sourcePath.startsWith('../') || isAbsolute(sourcePath))
    notes.push(`${csvPath} is outside the project's data folder (${dataDir})`);
  const out0 = pipeline.outputs?.[0];
  if (out0 && out0.kind === 'sqlite')
    notes.push(
      `destination ${rules.destination?.type ?? 'database'} table ${out0.table}: loads into the project's SQLite database; run with --target postgres to load into PostgreSQL`,
    );
  const check = Pipeline.safeParse(pipeline);
  if (!check.success)
    throw new RulesError(`the converted pipeline is not valid: ${check.error.message}`);
  await mkdir(join(projectDir, 'pipelines'), { recursive: true });
  const projectFile = join(projectDir, 'sluice.yaml');
  if (!existsSync(projectFile))
    await writeFile(
      projectFile,
      new Document({ name: basename(projectDir), data: '.' }).toString(),
    );
  const out = join(projectDir, 'pipelines', `${name}.yaml`);
  if (existsSync(out) && !opts.force)
    throw new RulesError(`${out} exists already (use --force to replace it)`);
  const doc = new Document(pipeline);
  doc.commentBefore = [
    ` Converted by sluice import-rules from ${basename(file)}.`,
    ...notes.map((n) => ` ${n}`),
  ].join('\n');
  await writeFile(out, doc.toString({ lineWidth: 100 }));
  // The person at the command line named the source: the recipe may read its folder.
  if (!isInside(csvPath, projectDir) && !isInside(csvPath, dataDir))
    allowFolders(projectDir, [dirname(csvPath)]);
  return { file: out, notes };
}
