/**
 * One side of a step's preview as CSV, as the window exports it: the source line, then the
 * side's columns, for every row of the side or, under facets, every row that passes them all.
 * It reads the rows a block at a time through `rows` (pipelines.previewRows with the facets).
 */
import type { Facet, Result } from './api/contract';
import { csvRow } from './csv';
import { facetWords } from './facet-words';

type Page = Pick<Result<'pipelines.previewRows'>, 'columns' | 'rows' | 'lines' | 'total'>;

/** Rows per request while exporting. */
export const EXPORT_BLOCK = 5000;

/**
 * The CSV's lines, or null when `progress` (told the rows written and the rows in all after
 * each block) returns false: the export was given up.
 *
 * @example
 *   await previewCsv((offset, limit) => client.call('pipelines.previewRows', { ...at, offset, limit }));
 */
export async function previewCsv(
  rows: (offset: number, limit: number) => Promise<Page>,
  progress: (done: number, total: number) => boolean = () => true,
): Promise<string[] | null> {
  const first = await rows(0, 1);
  const total = first.total;
  const parts = [csvRow(['line', ...first.columns.map((c) => c.name)])];
  for (let o = 0; o < total; o += EXPORT_BLOCK) {
    const page = await rows(o, EXPORT_BLOCK);
    page.rows.forEach((r, i) =>
      parts.push(csvRow([page.lines[i], ...r.map((v) => (v === null ? null : String(v)))])),
    );
    if (!progress(Math.min(total, o + page.rows.length), total)) return null;
  }
  return parts;
}

/**
 * The export's file name: the pipeline, the step and the side, and under facets the facets in
 * words, so the file says which rows it holds ("sales-step-3-after where Currency Code CAD.csv").
 */
export function previewCsvName(
  pipeline: string,
  step: number,
  side: string,
  facets: Facet[],
): string {
  const base = `${pipeline}-step-${step}-${side}`;
  if (!facets.length) return `${base}.csv`;
  // Characters no file system takes (or takes badly) become spaces.
  let where = facets
    .map(facetWords)
    .join(' and ')
    .replace(/[\\/:*?"<>|\p{Cc}\s]+/gu, ' ')
    .trim();
  if (where.length > 120) where = `${where.slice(0, 119).trimEnd()}…`;
  return `${base} where ${where}.csv`;
}
