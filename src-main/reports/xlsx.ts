/**
 * The run as an Excel workbook, written as a stream: a Summary sheet (the run and its
 * pipelines) and a sheet per chosen output file. Cells are typed by a first pass over all of a
 * file's rows: numbers as numbers, dates as dates with a date format, booleans as booleans,
 * text as text (a value that reads as a formula stays text: it is never written as one). A value
 * that would not read back the same as a number or date stays text, so nothing changes on the way.
 */
import ExcelJS from 'exceljs';
import { basename } from 'node:path';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { textConversion } from '../engine/convert-text';
import { readsAs } from '../engine/format';
import { Profiler } from '../engine/profile';
import { openCsv } from '../io/csv-read';
import type { ReportModel } from './model';

/** Excel's rows per sheet, the header row included. */
export const EXCEL_MAX_ROWS = 1_048_576;
const DAY_MS = 86_400_000;
const DATE_FORMAT = 'yyyy-mm-dd';
const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

export interface SheetSource {
  /** The sheet's name (made unique and fit for Excel from it). */
  name: string;
  path: string;
}

export interface WorkbookOptions {
  /** Data rows per sheet before an output continues on the next sheet (tests make it small). */
  maxRows?: number;
}

/** The output files a workbook carries by default: every CSV of the report pipelines. */
export function defaultSheets(m: ReportModel, all = false): SheetSource[] {
  const out: SheetSource[] = [];
  for (const p of m.pipelines) {
    if (!all && !p.isReport) continue;
    const csvs = p.outputs.filter((o) => o.kind === 'csv');
    for (const o of csvs)
      out.push({ name: csvs.length > 1 ? `${p.name} ${basename(o.path)}` : p.name, path: o.path });
  }
  return out;
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique regardless of case. */
export function sheetNamer(): (wanted: string) => string {
  const used = new Set<string>();
  return (wanted) => {
    const clean = wanted.replace(/[[\]:*?/\\]/g, '_').replace(/^'|'$/g, '_') || 'Sheet';
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const name = clean.slice(0, 31 - suffix.length) + suffix;
      if (!used.has(name.toLowerCase())) {
        used.add(name.toLowerCase());
        return name;
      }
    }
  };
}

interface ColumnPlan {
  name: string;
  type: ColumnType;
  convert: ((text: string) => number | null) | null;
  width: number;
}

/** The types and widths of a CSV's columns, from all of its rows. */
async function planColumns(path: string): Promise<ColumnPlan[]> {
  const src = await openCsv(path);
  const profiler = new Profiler(src.info.columns);
  for await (const b of src.batches(() => undefined)) profiler.add(b);
  return profiler.result().columns.map((c) => {
    const g = c.guess;
    const exact = g.confidence === 1 && g.type !== 'email' && g.type !== 'string';
    const type = (exact ? g.type : 'string') as ColumnType;
    const longest = Math.max(c.name.length, c.lengthMax ?? 0);
    return {
      name: c.name,
      type,
      convert: type === 'string' ? null : textConversion(type, g.formats),
      width: Math.min(
        60,
        Math.max(8, type === 'date' ? 11 : type === 'datetime' ? 20 : longest + 2),
      ),
    };
  });
}

/** A cell of a column: its typed value when it reads back as the same text, else the text. */
function cellOf(text: string | null, c: ColumnPlan): { value: ExcelJS.CellValue; numFmt?: string } {
  if (text === null || text === '') return { value: null };
  if (!c.convert) return { value: text };
  const n = c.convert(text);
  if (n === null || !readsAs(c.type, n, text)) return { value: text };
  switch (c.type) {
    case 'date':
      return { value: new Date(n * DAY_MS), numFmt: DATE_FORMAT };
    case 'datetime':
      return { value: new Date(n), numFmt: DATETIME_FORMAT };
    case 'boolean':
      return { value: n !== 0 };
    default:
      return { value: n };
  }
}

function addSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: { header: string; width: number }[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1, column: Math.max(1, columns.length) },
  };
  return ws;
}

/** Writes an output file to one sheet, or more when it has more rows than a sheet holds. */
async function writeOutput(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  src: SheetSource,
  name: (wanted: string) => string,
  maxRows: number,
): Promise<string[]> {
  const plan = await planColumns(src.path);
  const header = plan.map((c) => ({ header: c.name, width: c.width }));
  const sheets = [name(src.name)];
  let ws = addSheet(wb, sheets[0], header);
  let rows = 0;
  const csv = await openCsv(src.path);
  for await (const b of csv.batches(() => undefined)) {
    for (let i = 0; i < b.length; i++) {
      if (rows === maxRows) {
        ws.commit();
        sheets.push(name(`${src.name} (${sheets.length + 1})`));
        ws = addSheet(wb, sheets[sheets.length - 1], header);
        rows = 0;
      }
      const cells = plan.map((c, k) => {
        const col = b.columns[k];
        return cellOf(col.kind === 'text' ? col.values[i] : String(col.values[i]), c);
      });
      const row = ws.addRow(cells.map((c) => c.value));
      cells.forEach((c, k) => {
        if (c.numFmt) row.getCell(k + 1).numFmt = c.numFmt;
      });
      row.commit();
      rows++;
    }
  }
  ws.commit();
  return sheets;
}

/** The Summary sheet: the run's fields on top, then a row per pipeline (frozen, with filters). */
function summarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, m: ReportModel): void {
  const r = m.run;
  const when = (iso: string | null): Date | null => (iso ? new Date(iso) : null);
  const fields: [string, ExcelJS.CellValue, string?][] = [
    ['Project', r.project],
    ['Folder', r.projectDir],
    ['Run id', r.id],
    ['Status', r.status],
    ['Run date', r.runDate ? new Date(`${r.runDate}T00:00:00Z`) : null, DATE_FORMAT],
    ['Started', when(r.startedAt), DATETIME_FORMAT],
    ['Finished', when(r.finishedAt), DATETIME_FORMAT],
    ['Seconds', r.durationMs === null ? null : r.durationMs / 1000, '0.0'],
    ['Started by', r.trigger],
    ['Rows in', r.rowsIn],
    ['Rows out', r.rowsOut],
    ['Rejected', r.rowsRejected],
    ['Recipe hash', r.recipeHash],
  ];
  const head = fields.length + 2; // the pipelines' header row, after the fields and a blank row
  const ws = wb.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: head }] });
  const widths = [32, 50, 12, 11, 11, 10, 10, 10, 20, 9, 60];
  ws.columns = widths.map((width) => ({ width }));
  for (const [k, v, fmt] of fields) {
    const row = ws.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    if (fmt) row.getCell(2).numFmt = fmt;
    row.getCell(2).alignment = { horizontal: 'left' };
    row.commit();
  }
  ws.addRow([]).commit();
  const titles = [
    'Pipeline',
    'Description',
    'Status',
    'Rows in',
    'Rows out',
    'Rejected',
    'Removed',
    'Merged',
    'Started',
    'Seconds',
    'Outputs',
  ];
  const header = ws.addRow(titles);
  header.font = { bold: true };
  header.commit();
  ws.autoFilter = { from: { row: head, column: 1 }, to: { row: head, column: titles.length } };
  for (const p of m.pipelines) {
    const row = ws.addRow([
      p.name,
      p.description,
      p.status,
      p.report?.rowsIn ?? null,
      p.report?.rowsOut ?? null,
      p.report?.rowsRejected ?? null,
      p.report?.rowsRemoved ?? null,
      p.report?.rowsMerged ?? null,
      when(p.startedAt),
      p.durationMs === null ? null : p.durationMs / 1000,
      p.outputs.map((o) => (o.table ? `${o.path} (table ${o.table})` : o.path)).join('; '),
    ]);
    row.getCell(9).numFmt = DATETIME_FORMAT;
    row.getCell(10).numFmt = '0.0';
    row.commit();
  }
  ws.commit();
}

/**
 * Writes the workbook to `file`: the Summary sheet of `m` first when given (one output exported
 * alone goes without), then the sheets; returns the names of the sheets each output went to.
 */
export async function writeWorkbook(
  file: string,
  m: ReportModel | null,
  sheets: SheetSource[],
  opts: WorkbookOptions = {},
): Promise<Map<string, string[]>> {
  const maxRows = opts.maxRows ?? EXCEL_MAX_ROWS - 1;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Sluice';
  wb.created = m ? new Date(m.generatedAt) : new Date();
  const name = sheetNamer();
  if (m) {
    name('Summary');
    summarySheet(wb, m);
  }
  const placed = new Map<string, string[]>();
  for (const s of sheets) placed.set(s.path, await writeOutput(wb, s, name, maxRows));
  await wb.commit();
  return placed;
}
