/**
 * Which target columns the server fills as a streamed load would (pg-inserver-sql.ts): the one
 * Sluice creates for each type, numbers into any number column (a whole-number one refusing a
 * fraction, numeric read from the shortest text), text into any text column; every other pair
 * streams, since the server's cast and a streamed load's text would differ.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { checkSql, columnMove, movedRowsSql } from '../../src-main/sinks/pg-inserver-sql';

const move = (type: ColumnType, to: string) => columnMove({ name: 'c', type }, to);

describe('columnMove', () => {
  it('moves each type into the column Sluice creates for it', () => {
    expect(move('string', 'text')).toEqual({ expr: '"c"' });
    expect(move('date', 'date')).toEqual({ expr: '"c"' });
    expect(move('datetime', 'timestamp without time zone')).toEqual({ expr: '"c"' });
    expect(move('boolean', 'boolean')).toEqual({ expr: '"c"' });
    expect(move('float', 'double precision')).toEqual({ expr: '"c"' });
    expect(move('decimal', 'numeric')).toEqual({ expr: '"c"::text::numeric' });
    expect(move('int', 'bigint')).toMatchObject({ expr: '"c"', misfit: expect.any(String) });
    expect(move('float', 'smallint')).toMatchObject({ misfit: expect.stringContaining('trunc') });
  });

  it('leaves to a streamed load the pairs it converts through text', () => {
    expect(move('int', 'text')).toBe('column "c" is text in the table and int in the output');
    expect(move('string', 'integer')).toEqual(expect.stringContaining('is integer'));
    expect(move('datetime', 'timestamp with time zone')).toEqual(expect.any(String));
    expect(move('boolean', 'integer')).toEqual(expect.any(String));
    expect(move('date', 'timestamp without time zone')).toEqual(expect.any(String));
  });
});

describe('the checks and the move', () => {
  const fields = [
    { name: 'id', type: 'int' as const },
    { name: 'day', type: 'date' as const },
  ];
  const moves = [{ expr: '"id"' }, { expr: '"day"' }];

  it('checks a watermark, a key and NOT NULL in the streamed load’s order', () => {
    const sql = checkSql({
      out: { key: ['id'], watermark: 'day' },
      fields,
      moves,
      notNull: [false, true],
    });
    // A row's first failing check names it: the watermark's, then the key's, then a cell's.
    const pre = ["'null_watermark'", "'skip'", "'null_key'"].map((x) => sql.indexOf(x));
    expect(pre.every((x, i) => x > (pre[i - 1] ?? 0))).toBe(true);
    expect(sql).toContain('coalesce(pre, dup, cell)');
    expect(sql).toContain(`WHEN "day" IS NULL THEN 'not_null 1'`);
    expect(sql).toContain('PARTITION BY pre IS NULL, k0 ORDER BY r');
    expect(sql).toContain(`("day" - DATE '1970-01-01')::float8`);
  });

  it('moves rows past the mark and not refused, in the engine’s order', () => {
    const sql = movedRowsSql({
      out: { watermark: 'day' },
      fields,
      moves,
      notNull: [],
      checked: true,
    });
    expect(sql).toContain('<= $3::float8');
    expect(sql).toContain('NOT EXISTS (SELECT 1 FROM pg_temp.sluice_refused');
    expect(sql.endsWith('ORDER BY o._sluice_row')).toBe(true);
    expect(movedRowsSql({ out: {}, fields, moves, notNull: [], checked: false })).not.toContain(
      '$3',
    );
  });
});
