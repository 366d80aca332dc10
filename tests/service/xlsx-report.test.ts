/**
 * The Excel writer on files made to be awkward: text that looks like a formula stays text,
 * numbers that would not read back the same (leading zeros, long ids) stay text, dates get a
 * date format, an output longer than a sheet continues on the next, and sheet names fit Excel.
 */
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src-main/reports/model';
import { sheetNamer, writeWorkbook } from '../../src-main/reports/xlsx';
import { tempDir } from '../helpers/tmp';

const model: ReportModel = {
  generatedAt: '2026-12-03T10:00:00.000Z',
  run: {
    id: 'run_x',
    project: 'p',
    projectDir: '/p',
    status: 'succeeded',
    recipeHash: 'h',
    startedAt: '2026-12-03T09:00:00.000Z',
    finishedAt: '2026-12-03T09:00:01.500Z',
    pipelines: [],
    planned: [],
    rowsIn: 0,
    rowsOut: 0,
    rowsRejected: 0,
    runDate: '2026-12-03',
    trigger: 'manual',
    resumedFrom: null,
    target: null,
    engine: null,
    durationMs: 1500,
    workers: 1,
    storePath: '/s',
  },
  pipelines: [],
  warnings: [],
};

async function read(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('the Excel workbook', () => {
  it('keeps formula-looking text and numbers that would change as text; types the rest', async () => {
    const dir = tempDir();
    const csv = join(dir, 'odd.csv');
    writeFileSync(
      csv,
      [
        'id,zip,formula,amount,day,flag',
        '1,00501,=1+1,12.5,2024-02-29,true',
        '2,02134,+SUM(A1:A2),-3,2024-03-01,false',
        '3,10001,@cmd,1000000,2024-12-31,true',
        '4,90210,"=HYPERLINK(""http://x"")",0.1,,false',
      ].join('\n') + '\n',
    );
    const file = join(dir, 'w.xlsx');
    await writeWorkbook(file, null, [{ name: 'odd', path: csv }]);
    const ws = (await read(file)).getWorksheet('odd')!;
    const row = (n: number): ExcelJS.CellValue[] =>
      (ws.getRow(n).values as ExcelJS.CellValue[]).slice(1);
    expect(row(1)).toEqual(['id', 'zip', 'formula', 'amount', 'day', 'flag']);
    expect(row(2)).toEqual([1, '00501', '=1+1', 12.5, new Date('2024-02-29T00:00:00Z'), true]);
    expect(row(3)).toEqual([
      2,
      '02134',
      '+SUM(A1:A2)',
      -3,
      new Date('2024-03-01T00:00:00Z'),
      false,
    ]);
    expect(row(5).slice(0, 4)).toEqual([4, '90210', '=HYPERLINK("http://x")', 0.1]);
    // Never a formula: each of those cells is a plain string cell.
    for (let r = 2; r <= 5; r++)
      expect(ws.getRow(r).getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(5).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getRow(5).getCell(5).value).toBeNull(); // an empty cell stays empty
  });

  it('continues an output longer than a sheet on the next sheet, header and all', async () => {
    const dir = tempDir();
    const csv = join(dir, 'long.csv');
    writeFileSync(csv, 'n\n' + Array.from({ length: 7 }, (_, i) => `${i + 1}\n`).join(''));
    const file = join(dir, 'w.xlsx');
    const placed = await writeWorkbook(file, model, [{ name: 'long', path: csv }], { maxRows: 3 });
    expect(placed.get(csv)).toEqual(['long', 'long (2)', 'long (3)']);
    const wb = await read(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'long', 'long (2)', 'long (3)']);
    const values = (name: string): ExcelJS.CellValue[] =>
      wb.getWorksheet(name)!.getColumn(1).values.slice(1) as ExcelJS.CellValue[];
    expect(values('long')).toEqual(['n', 1, 2, 3]);
    expect(values('long (2)')).toEqual(['n', 4, 5, 6]);
    expect(values('long (3)')).toEqual(['n', 7]);
  });

  it('names sheets as Excel allows: 31 characters, no []:*?/\\, unique without regard to case', () => {
    const name = sheetNamer();
    expect(name('Summary')).toBe('Summary');
    expect(name('summary')).toBe('summary (2)');
    expect(name('a/b:c*d?e[f]g\\h')).toBe('a_b_c_d_e_f_g_h');
    const long = 'report_sales_by_store_category_and_more';
    expect(name(long)).toBe(long.slice(0, 31));
    expect(name(long)).toBe(`${long.slice(0, 27)} (2)`);
  });
});
