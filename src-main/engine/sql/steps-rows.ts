/** SQL of the steps that pick, order and fill rows and columns. */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { sortKeys } from '../order';
import { resolveColumns } from '../step';
import type { Field } from '../table';
import { columns, refuse, ROW, type Builder, type StepCompiler } from './builder';
import { exprSql, isTrue } from './expr-sql';
import { ident, num, typedLit } from './text';

export const selectSql: StepCompiler<StepOf<'select'>> = (_step, _input, out, q) => {
  q.add(`SELECT ${columns(out)} FROM ${q.cur}`);
};
export const dropSql = selectSql as unknown as StepCompiler<StepOf<'drop'>>;

export const renameSql: StepCompiler<StepOf<'rename'>> = (_step, input, out, q) => {
  const list = out.map((f, i) => `${ident(input[i].name)} AS ${ident(f.name)}`);
  q.add(`SELECT ${[...list, ROW].join(', ')} FROM ${q.cur}`);
};

export const filterSql: StepCompiler<StepOf<'filter'>> = (step, input, out, q) => {
  const e = exprSql(step.where, input);
  q.add(`SELECT ${columns(out)} FROM ${q.cur} WHERE ${isTrue(e)}`);
};

export const deriveSql: StepCompiler<StepOf<'derive'>> = (step, input, _out, q) => {
  let fields: Field[] = input;
  for (const [name, source] of Object.entries(step.columns)) {
    const e = exprSql(source, fields);
    if (e.kind === 'any') refuse(`${name}: a value of unknown type`);
    const type: ColumnType =
      e.kind === 'number'
        ? e.int
          ? 'int'
          : 'float'
        : e.kind === 'null' || e.kind === 'string'
          ? 'string'
          : e.kind;
    const sql = e.kind === 'null' ? 'NULL::text' : e.sql;
    const at = fields.findIndex((f) => f.name === name);
    const next =
      at < 0 ? [...fields, { name, type }] : fields.map((f, i) => (i === at ? { name, type } : f));
    q.add(`SELECT ${columns(next, new Map([[at < 0 ? fields.length : at, sql]]))} FROM ${q.cur}`);
    fields = next;
  }
};

/** ORDER BY terms of sort keys: text by code, nulls where the recipe says. */
function orderBy(by: StepOf<'sort'>['by'], input: Field[]): string[] {
  return sortKeys(by, input, 'by').map((k) => {
    const f = input[k.col];
    const c = f.type === 'string' ? `${ident(f.name)} COLLATE "C"` : ident(f.name);
    return `${c} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
  });
}

export const sortSql: StepCompiler<StepOf<'sort'>> = (step, input, out, q) => {
  // Stable: equal keys keep their order.
  const order = [...orderBy(step.by, input), ROW].join(', ');
  const list = [
    ...out.map((f) => ident(f.name)),
    `row_number() OVER (ORDER BY ${order}) AS ${ROW}`,
  ];
  q.add(`SELECT ${list.join(', ')} FROM ${q.cur}`);
};

export const limitSql: StepCompiler<StepOf<'limit'>> = (step, _input, out, q) => {
  q.stages([[['_sluice_pos', `row_number() OVER (ORDER BY ${ROW})`]]]);
  const pos = ident('_sluice_pos');
  q.add(
    `SELECT ${columns(out)} FROM ${q.cur} WHERE ${pos} > ${step.offset} AND ${pos} <= ${step.offset + step.rows}`,
  );
};

export const dedupeSql: StepCompiler<StepOf<'dedupe'>> = (step, input, out, q) => {
  const cols = step.key ? resolveColumns(step.key, input, { key: 'key' }) : input.map((_, i) => i);
  const part = cols.map((c) => ident(input[c].name)).join(', ');
  q.stages([
    [
      ['_sluice_k', `row_number() OVER (PARTITION BY ${part} ORDER BY ${ROW})`],
      ['_sluice_n', `count(*) OVER (PARTITION BY ${part})`],
    ],
  ]);
  const k = ident('_sluice_k');
  const n = ident('_sluice_n');
  const keep =
    step.keep === 'first' ? `${k} = 1` : step.keep === 'last' ? `${k} = ${n}` : `${n} = 1`;
  q.add(`SELECT ${columns(out)} FROM ${q.cur} WHERE ${keep}`);
};

/**
 * sample.ts's mulberry32, its `n`-th draw (n >= 1, a bigint expression) in [0, 1): each draw is
 * a function of the seed and n alone. Helper stages in unsigned 32-bit values as bigint; imul is
 * taken in 16-bit halves, so no product passes 2^49.
 */
function drawSql(q: Builder, n: string, seed: number): string {
  const M = '4294967295';
  const h = (x: string): string => ident(`_sluice_r${x}`);
  const imul = (a: string, b: string): string =>
    `(((${a} & 65535) * ${b} + (((${a} >> 16) * ${b}) & 65535) * 65536) & ${M})`;
  q.stages([
    [['_sluice_rs', `((${seed >>> 0}::bigint + (${n}) * 1831565813) & ${M})`]],
    [
      ['_sluice_ra', `(${h('s')} # (${h('s')} >> 15))`],
      ['_sluice_rb', `(${h('s')} | 1)`],
    ],
    [['_sluice_rt', imul(h('a'), h('b'))]],
    [
      ['_sluice_rc', `(${h('t')} # (${h('t')} >> 7))`],
      ['_sluice_rd', `(${h('t')} | 61)`],
    ],
    [['_sluice_rm', imul(h('c'), h('d'))]],
    [['_sluice_ru', `(${h('t')} # ((${h('t')} + ${h('m')}) & ${M}))`]],
  ]);
  return `((${h('u')} # (${h('u')} >> 14))::float8 / 4294967296)`;
}

/**
 * sample as sample.ts draws it: `fraction` keeps row i (0-based) when draw i + 1 is below it;
 * `rows` is Algorithm R: row i >= k draws j = floor(draw (i - k + 1) * (i + 1)) and, when j < k,
 * takes slot j, so a slot ends with the last row that drew it, or with row j itself if none did.
 */
export const sampleSql: StepCompiler<StepOf<'sample'>> = (step, _input, out, q) => {
  q.stages([[['_sluice_i', `row_number() OVER (ORDER BY ${ROW}) - 1`]]]);
  const i = ident('_sluice_i');
  if (step.fraction !== undefined) {
    const r = drawSql(q, `${i} + 1`, step.seed);
    q.add(`SELECT ${columns(out)} FROM ${q.cur} WHERE ${r} < ${num(step.fraction)}`);
    return;
  }
  const k = step.rows!;
  const r = drawSql(q, `GREATEST(${i} - ${k} + 1, 1)`, step.seed);
  const j = ident('_sluice_j');
  q.stages([[['_sluice_j', `CASE WHEN ${i} >= ${k} THEN floor(${r} * (${i} + 1))::bigint END`]]]);
  const drawn = q.cur;
  q.add(
    `SELECT ${columns(out)} FROM ${drawn} d WHERE ` +
      `(d.${i} < ${k} AND NOT EXISTS (SELECT 1 FROM ${drawn} x WHERE x.${j} = d.${i})) OR ` +
      `d.${i} IN (SELECT max(x.${i}) FROM ${drawn} x WHERE x.${j} < ${k} GROUP BY x.${j})`,
  );
};

/**
 * fill_missing as fill-missing.ts does it: statistics and backward fill see every row, drop
 * removes rows next, and forward fill carries values over the rows that are left.
 */
export const fillMissingSql: StepCompiler<StepOf<'fill_missing'>> = (step, input, out, q) => {
  const wanted = Object.entries(step.columns);
  const cols = resolveColumns(
    wanted.map(([n]) => n),
    input,
  );
  const fills = cols.map((col, k) => ({ col, k, strategy: wanted[k][1], f: input[col] }));
  const h = (k: number, x: string): string => ident(`_sluice_${k}_${x}`);
  const any = (f: Field): string => (f.type === 'boolean' ? 'bool_or' : 'max');
  const before: [string, string][] = [];
  const statsCtes: string[] = [];
  const base = q.cur;
  for (const { k, strategy, f } of fills) {
    const c = ident(f.name);
    if (strategy === 'backward_fill')
      before.push([
        `_sluice_${k}_g`,
        `count(${c}) OVER (ORDER BY ${ROW} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)`,
      ]);
    if (strategy === 'mean' || strategy === 'median' || strategy === 'mode') {
      let stat: string;
      if (strategy === 'mean') stat = `SELECT avg(${c} ORDER BY ${ROW}) AS v FROM ${base}`;
      else if (strategy === 'median')
        stat =
          `SELECT (percentile_disc(0.5) WITHIN GROUP (ORDER BY ${c}) + ` +
          `percentile_disc(0.5 + 1e-12) WITHIN GROUP (ORDER BY ${c})) / 2 AS v FROM ${base}`;
      else
        // The value that first reaches the highest count (fill-missing.ts statistic).
        stat =
          `SELECT (SELECT ${c} FROM (SELECT ${c}, ${ROW}, row_number() OVER (PARTITION BY ${c} ORDER BY ${ROW}) AS k, ` +
          `count(*) OVER (PARTITION BY ${c}) AS n FROM ${base} WHERE ${c} IS NOT NULL) AS m ` +
          `WHERE k = n ORDER BY n DESC, ${ROW} LIMIT 1) AS v`;
      // An int column is filled with the statistic rounded as Math.round rounds.
      if (f.type === 'int' && strategy !== 'mode')
        stat = `SELECT floor(v + 0.5) AS v FROM (${stat}) AS r`;
      statsCtes.push(q.add(stat));
      q.cur = base;
    }
  }
  // Statistics: one row each, joined to every row.
  const stat = new Map<number, string>();
  let from = q.cur;
  fills.forEach(({ k, strategy }) => {
    if (strategy === 'mean' || strategy === 'median' || strategy === 'mode') {
      const name = statsCtes.shift()!;
      from += ` CROSS JOIN (SELECT v AS ${h(k, 'stat')} FROM ${name}) AS ${ident(`st${k}`)}`;
      stat.set(k, h(k, 'stat'));
    }
  });
  const all = [
    ...input.map((f) => ident(f.name)),
    ROW,
    ...before.map(([a, e]) => `${e} AS ${ident(a)}`),
    ...[...stat.values()],
  ];
  q.add(`SELECT ${all.join(', ')} FROM ${from}`);
  const stage2: [string, string][] = fills
    .filter((x) => x.strategy === 'backward_fill')
    .map(({ k, f }) => [
      `_sluice_${k}_b`,
      `${any(f)}(${ident(f.name)}) OVER (PARTITION BY ${h(k, 'g')})`,
    ]);
  q.stages([stage2]);
  const drops = fills.filter((x) => x.strategy === 'drop');
  if (drops.length)
    q.add(
      `SELECT * FROM ${q.cur} WHERE ${drops.map(({ f }) => `${ident(f.name)} IS NOT NULL`).join(' AND ')}`,
    );
  const forward = fills.filter((x) => x.strategy === 'forward_fill');
  q.stages([
    forward.map(({ k, f }) => [`_sluice_${k}_g`, `count(${ident(f.name)}) OVER (ORDER BY ${ROW})`]),
  ]);
  q.stages([
    forward.map(({ k, f }) => [
      `_sluice_${k}_f`,
      `${any(f)}(${ident(f.name)}) OVER (PARTITION BY ${h(k, 'g')})`,
    ]),
  ]);
  const replaced = new Map<number, string>();
  for (const { col, k, strategy, f } of fills) {
    const c = ident(f.name);
    if (strategy === 'drop') continue;
    const fill =
      typeof strategy === 'object'
        ? typedLit(f.type, constantOf(f, strategy.constant))
        : strategy === 'forward_fill'
          ? h(k, 'f')
          : strategy === 'backward_fill'
            ? h(k, 'b')
            : stat.get(k)!;
    replaced.set(col, `COALESCE(${c}, ${fill})`);
  }
  q.add(`SELECT ${columns(out, replaced)} FROM ${q.cur}`);
};

/** fill-missing.ts constantFor, for a column the engine accepted the constant for. */
function constantOf(f: Field, v: string | number | boolean): string | number {
  if (f.type === 'string') return String(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && f.type !== 'date' && f.type !== 'datetime') return v;
  if (f.type === 'boolean') return /^(true|t|yes|y|1)$/i.test(String(v).trim()) ? 1 : 0;
  if (f.type === 'date' || f.type === 'datetime') return String(v);
  return Number(v);
}
