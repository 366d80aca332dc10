/**
 * engine: postgres writes a CSV output from lines the server makes and streams with COPY: they
 * must be byte for byte what the local CSV writer makes of the same rows, for every type, text
 * that needs quotes or formula protection, nulls and empties, and each delimiter setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSteps } from '../../src-main/engine/sql/compile';
import { CsvEncoder } from '../../src-main/io/csv-encode';
import { PgEngine } from '../../src-main/sinks/pg-engine';
import type { Field } from '../../src-main/engine/table';
import { DATABASE_URL, testSchema } from '../helpers/pg';
import { toBatch, type Table } from '../helpers/sql-parity';

const FIELDS: Field[] = [
  { name: 'text', type: 'string' },
  { name: 'num', type: 'float' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'datetime' },
  { name: 'ok', type: 'boolean' },
  { name: 'say "what", then', type: 'string' },
];

const TEXTS = [
  null,
  '',
  'plain',
  'a,b',
  'a;b',
  'tab\there',
  'say "hi"',
  'line\nbreak',
  'cr\ronly',
  '=SUM(A1)',
  '+1',
  '-12',
  '-1.5e3',
  '-',
  '@x',
  '\tlead',
  "'",
  'ünï "q"',
  '😀,',
  ' spaced ',
];
const NUMS = [0, -0, 1.5, -2.25, 1e21, 1.5e-7, 123456789012, 0.1 + 0.2, -1e-9, 42, null];

function table(): Table {
  const rows = TEXTS.map((t, i) => [
    t,
    NUMS[i % NUMS.length],
    i % 5 === 0 ? null : -1000 + i * 997,
    i % 6 === 0 ? null : 1_600_000_000_000 + i * 3_600_123,
    i % 3 === 0 ? null : i % 2 === 0,
    TEXTS[(i * 7) % TEXTS.length],
  ]);
  return { fields: FIELDS, rows };
}

let engine: PgEngine;
const schema = testSchema();

beforeAll(async () => {
  engine = await PgEngine.connect(DATABASE_URL, undefined, 60_000, 'sluice copy csv test');
  const batch = toBatch(table());
  const rel = await engine.stage('src', FIELDS, [batch]);
  await engine.run(compileSteps([], rel), [], schema, { runId: 'copy-csv', pipeline: 't' });
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

describe('CSV lines made by the server', () => {
  for (const o of [
    { delimiter: ',', formulaProtection: true },
    { delimiter: ';', formulaProtection: false },
    { delimiter: '\t', formulaProtection: true },
    { delimiter: '|', formulaProtection: false },
  ])
    it(`are the local writer's bytes (delimiter ${JSON.stringify(o.delimiter)}, protection ${o.formulaProtection})`, async () => {
      const enc = new CsvEncoder(o.delimiter, o.formulaProtection, '\n');
      const batch = toBatch(table());
      enc.rows(batch, 0, Number.MAX_SAFE_INTEGER);
      const local = Buffer.from(enc.buf.subarray(0, enc.length));
      const parts: Buffer[] = [];
      const rows = await engine.copyCsv(FIELDS, { ...o, newline: '\n' }, (line) =>
        parts.push(Buffer.from(line)),
      );
      expect(rows).toBe(TEXTS.length);
      expect(Buffer.concat(parts).toString('utf8')).toBe(local.toString('utf8'));
      expect(Buffer.concat(parts).equals(local)).toBe(true);
    });
});
