/**
 * `sluice import`: writes one pipeline per CSV file from what inference found — import
 * settings, trim and nullify, date and number parsing, casts, and de-duplication on the
 * suggested key — with the findings as comments, so a person can review the recipe.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Document, YAMLMap } from 'yaml';
import type { PipelineInput } from '../../src-shared/recipe/pipeline';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { isInside } from '../io/confine';
import { allowFolders } from './allow-paths';
import { profileFile, type FileProfile } from './profile';
import { bareRecord } from '../../src-shared/recipe/bare-record';

export interface ImportResult {
  projectDir: string;
  /** Folders outside the project added to its allow_paths, so its recipes may read them. */
  allowed: string[];
  created: { file: string; pipeline: string; profile: FileProfile }[];
}

export class ImportError extends Error {}

/** A pipeline name from a file name: "Exchange_Rates.csv" -> "exchange_rates". */
export function pipelineName(file: string): string {
  const n = basename(file)
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return n || 'pipeline';
}

/**
 * The recipe inference suggests for a file. `key` replaces the suggested de-duplication key
 * (null: no de-duplication); `settings` are the import settings the user chose over the found ones.
 */
export function recipeFromProfile(
  name: string,
  sourcePath: string,
  p: FileProfile,
  key: string[] | null = p.suggestedKey,
): PipelineInput {
  const steps: PipelineInput['steps'] = [{ step: 'trim' }, { step: 'nullify' }];
  const dateGroups = new Map<
    string,
    { columns: string[]; formats: string[]; output: 'date' | 'datetime' }
  >();
  const decimals: string[] = [];
  const casts = bareRecord<ColumnType>();
  for (const c of p.columns) {
    const g = c.guess;
    if ((g.type === 'date' || g.type === 'datetime') && g.formats) {
      const key = `${g.type}|${g.formats.join('|')}`;
      const group = dateGroups.get(key) ?? { columns: [], formats: g.formats, output: g.type };
      group.columns.push(c.name);
      dateGroups.set(key, group);
    } else if (g.type === 'decimal') decimals.push(c.name);
    else if (g.type === 'int' || g.type === 'float' || g.type === 'boolean') casts[c.name] = g.type;
  }
  for (const g of dateGroups.values())
    steps.push({
      step: 'parse_dates',
      columns: g.columns,
      formats: g.formats,
      ...(g.output === 'datetime' ? { output: 'datetime' as const } : {}),
    });
  if (decimals.length) steps.push({ step: 'parse_numbers', columns: decimals, type: 'decimal' });
  if (Object.keys(casts).length) steps.push({ step: 'cast', columns: casts });
  if (key?.length) steps.push({ step: 'dedupe', key, keep: 'first' });
  return {
    name,
    source: {
      path: sourcePath,
      encoding: p.source.encoding,
      delimiter: p.source.delimiter,
      header: p.source.header,
    },
    steps,
    outputs: [{ kind: 'csv', path: `out/${name}.csv` }],
  };
}

function findings(p: FileProfile): string {
  const lines = [
    `Imported by sluice import from ${basename(p.source.path)}: ${p.rows} rows.`,
    `Encoding ${p.source.encoding} (${p.source.encodingReason}); delimiter ${JSON.stringify(p.source.delimiter)}; ${p.source.header ? 'header row' : 'no header row'}.`,
    `Suggested key: ${p.suggestedKey ? p.suggestedKey.join(' + ') : 'none found'}.`,
    'Columns:',
    ...p.columns.map((c) => {
      const g = c.guess;
      let s = `  ${c.name}: ${g.type}`;
      if (g.formats) s += ` (${g.formats.join(', ')})`;
      if (g.type !== 'string') s += `, ${(g.confidence * 100).toFixed(1)}% fit`;
      if (c.nullCount) s += `, ${c.nullCount} empty`;
      if (g.misfits.length)
        s += `; does not fit: ${g.misfits.map((m) => JSON.stringify(m)).join(', ')}`;
      if (g.note) s += ` -- ${g.note}`;
      return s;
    }),
  ];
  if (p.rejects.length)
    lines.push(
      `${p.rejects.length} rows could not be read (first at line ${p.rejects[0].line}: ${p.rejects[0].reason}).`,
    );
  return lines.map((l) => ' ' + l).join('\n');
}

/** The recipe's YAML text, with what inference found as a comment at the top. */
export function recipeText(
  name: string,
  sourcePath: string,
  profile: FileProfile,
  key: string[] | null = profile.suggestedKey,
): string {
  const doc = new Document(recipeFromProfile(name, sourcePath, profile, key));
  doc.commentBefore = findings(profile);
  const steps = doc.get('steps') as YAMLMap | undefined;
  if (steps)
    steps.commentBefore = ' Edit freely: every step reports what it changed, rejected and removed.';
  return doc.toString({ lineWidth: 100 });
}

export async function importFiles(
  files: string[],
  into: string,
  opts: {
    force?: boolean;
    /** How each file is profiled (`sluice import --run`: on a worker thread). */
    profile?: (path: string) => Promise<FileProfile>;
  } = {},
): Promise<ImportResult> {
  const projectDir = resolve(into);
  await mkdir(join(projectDir, 'pipelines'), { recursive: true });
  const projectFile = join(projectDir, 'sluice.yaml');
  if (!existsSync(projectFile)) {
    const doc = new Document({ name: basename(projectDir), data: '.' });
    doc.commentBefore =
      ' Sluice project. Source paths resolve against `data` (relative to this folder).';
    await writeFile(projectFile, doc.toString());
  }
  const names = new Set<string>();
  const planned = files.map((f) => {
    const name = pipelineName(f);
    if (names.has(name)) throw new ImportError(`two files would both become pipeline "${name}"`);
    names.add(name);
    const file = join(projectDir, 'pipelines', `${name}.yaml`);
    if (existsSync(file) && !opts.force)
      throw new ImportError(`${file} exists already (use --force to replace it)`);
    return { src: resolve(f), name, file };
  });
  const created: ImportResult['created'] = [];
  for (const { src, name, file } of planned) {
    const profile = await (opts.profile ?? profileFile)(src);
    const rel = relative(projectDir, src).split(sep).join('/');
    await writeFile(file, recipeText(name, rel, profile));
    created.push({ file, pipeline: name, profile });
  }
  // The person at the command line named these files: the recipes may read their folders.
  const outside = planned.map((p) => dirname(p.src)).filter((d) => !isInside(d, projectDir));
  return { projectDir, created, allowed: allowFolders(projectDir, outside) };
}
