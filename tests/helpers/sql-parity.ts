/**
 * Runs steps two ways over the same rows, the local engine and the compiled SQL on the real
 * PostgreSQL server, and returns both outputs as plain values in row order (numbers; booleans as
 * true/false; dates as day numbers; datetimes as milliseconds), for a test to compare.
 */
import pg from 'pg';
import type { Step } from '../../src-shared/recipe/steps';
import {
  daysFromCivil,
  MS_PER_DAY,
  formatIsoDate,
  formatIsoDateTime,
} from '../../src-main/engine/dates';
import { planPipeline } from '../../src-main/engine/pipeline';
import { sideName, type SideRef } from '../../src-main/engine/step';
import {
  cellValue,
  numColumn,
  textColumn,
  type Batch,
  type Field,
  type Value,
} from '../../src-main/engine/table';
import { compileSteps, type CompiledSql } from '../../src-main/engine/sql/compile';
import { SQL_TYPE, ident } from '../../src-main/engine/sql/text';
import { DATABASE_URL } from './pg';

export interface Table {
  fields: Field[];
  rows: Value[][];
}

export interface Outputs {
  fields: Field[];
  local: Value[][];
  sql: Value[][];
  compiled: CompiledSql;
}

/** A batch of typed columns from plain values (dates as day numbers, datetimes as ms). */
export function toBatch(t: Table): Batch {
  const n = t.rows.length;
  const columns = t.fields.map((f, ci) => {
    if (f.type === 'string') return textColumn(t.rows.map((r) => r[ci] as string | null));
    const c = numColumn(n);
    t.rows.forEach((r, i) => {
      const v = r[ci];
      if (v === null) return;
      c.values[i] = typeof v === 'boolean' ? +v : (v as number);
      c.valid[i] = 1;
    });
    return c;
  });
  const line = Int32Array.from({ length: n }, (_, i) => i + 2);
  return { fields: t.fields, columns, length: n, line, lineEnd: line.slice() };
}

export function runLocal(steps: Step[], input: Table, sides: Map<string, Table>): Table {
  const out: Value[][] = [];
  const p = planPipeline(
    steps,
    input.fields,
    {
      onOutput(b) {
        for (let i = 0; i < b.length; i++)
          out.push(b.fields.map((f, ci) => cellValue(b.columns[ci], f.type, i)));
      },
    },
    {
      side: (ref) => {
        const t = sides.get(sideName(ref));
        if (!t) throw new Error(`no side ${sideName(ref)}`);
        return toBatch(t);
      },
    },
  );
  if (input.rows.length) p.push(toBatch(input));
  p.finish();
  return { fields: p.fields, rows: out };
}

function sqlText(f: Field, v: Value): string | null {
  if (v === null) return null;
  if (f.type === 'date') return formatIsoDate(v as number);
  if (f.type === 'datetime') return formatIsoDateTime(v as number);
  if (f.type === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

const RAW = (s: string): string => s;

/** A server value (text) read back as the engine holds it. */
function fromServer(f: Field, s: string | null): Value {
  if (s === null) return null;
  switch (f.type) {
    case 'string':
      return s;
    case 'boolean':
      return s === 't';
    case 'date': {
      const m = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(s)!;
      const y = m[4] ? 1 - +m[1] : +m[1];
      return daysFromCivil(y, +m[2], +m[3]);
    }
    case 'datetime': {
      const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?( BC)?$/.exec(s)!;
      const y = m[8] ? 1 - +m[1] : +m[1];
      const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
      return (
        daysFromCivil(y, +m[2], +m[3]) * MS_PER_DAY +
        +m[4] * 3_600_000 +
        +m[5] * 60_000 +
        +m[6] * 1000 +
        ms
      );
    }
    default:
      return Number(s);
  }
}

/** Loads a table into a temporary table of this session, with its row order in "_row". */
async function load(c: pg.Client, name: string, t: Table): Promise<void> {
  const cols = t.fields.map((f) => `${ident(f.name)} ${SQL_TYPE[f.type]}`);
  await c.query(`CREATE TEMP TABLE ${ident(name)} (${[...cols, '"_row" bigint'].join(', ')})`);
  if (t.rows.length === 0) return;
  const arrays = t.fields.map((f, ci) => t.rows.map((r) => sqlText(f, r[ci])));
  const unnest = t.fields.map((_, ci) => `$${ci + 1}::text[]`).join(', ');
  const casts = t.fields.map((f, ci) => `u.c${ci}::${SQL_TYPE[f.type]}`);
  const alias = [...t.fields.map((_, ci) => `c${ci}`), 'n'].join(', ');
  await c.query(
    `INSERT INTO ${ident(name)} SELECT ${[...casts, 'u.n'].join(', ')} ` +
      `FROM unnest(${unnest}, $${t.fields.length + 1}::bigint[]) AS u(${alias})`,
    [...arrays, t.rows.map((_, i) => i + 1)],
  );
}

export async function runSql(
  steps: Step[],
  input: Table,
  sides: Map<string, Table>,
): Promise<{ table: Table; compiled: CompiledSql }> {
  const c = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    await load(c, 'src', input);
    const sideNames = new Map<string, string>();
    for (const [k, t] of sides) {
      const name = `side_${sideNames.size}`;
      await load(c, name, t);
      sideNames.set(k, name);
    }
    const compiled = compileSteps(
      steps,
      { from: 'src', fields: input.fields, order: '"_row"' },
      (ref: SideRef) => ({
        from: ident(sideNames.get(sideName(ref))!),
        fields: sides.get(sideName(ref))!.fields,
        order: '"_row"',
      }),
    );
    const res = await c.query({
      text: compiled.sql,
      rowMode: 'array',
      types: { getTypeParser: () => RAW },
    });
    const rows = (res.rows as (string | null)[][]).map((r) =>
      compiled.fields.map((f, ci) => fromServer(f, r[ci])),
    );
    return { table: { fields: compiled.fields, rows }, compiled };
  } finally {
    await c.end();
  }
}

/** Both outputs of the same steps over the same rows. */
export async function bothWays(
  steps: Step[],
  input: Table,
  sides: Map<string, Table> = new Map(),
): Promise<Outputs> {
  const local = runLocal(steps, input, sides);
  const { table, compiled } = await runSql(steps, input, sides);
  return { fields: local.fields, local: local.rows, sql: table.rows, compiled };
}
