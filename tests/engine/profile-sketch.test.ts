/**
 * The profiler past its distinct cap: the same table profiled with the cap out of reach and
 * with a cap that makes columns spill to sketches. What stays exact must be equal; estimates
 * must be marked and close; the suggested key must be the same, and really unique.
 */
import { describe, expect, it } from 'vitest';
import {
  ColumnAccumulator,
  TextBound,
  type Sketch,
} from '../../src-main/engine/column-accumulator';
import { FineHistogram } from '../../src-main/engine/fine-histogram';
import { HyperLogLog } from '../../src-main/engine/hyperloglog';
import { Profiler, type AsciiCells } from '../../src-main/engine/profile';
import { batchFromRows } from '../../src-main/engine/table';
import { hashText } from '../../src-main/engine/text-dict';
import { TopValues } from '../../src-main/engine/top-values';
import { clustered } from '../helpers/clustered';

const NAMES = ['order', 'line', 'id', 'price', 'day', 'note'];

/** A random whole number below n, the same ones on every run. */
function seeded(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return (x >>> 8) % n;
  };
}

/** Rows like a sales file: orders of several lines, a unique id, prices, dates, a few nulls. */
function salesRows(n: number): string[][] {
  const rows: string[][] = [];
  let order = 1000;
  let line = 1;
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      order++;
      line = 1;
    }
    const m = (i % 12) + 1;
    const d = (i % 28) + 1;
    rows.push([
      String(order),
      String(line++),
      String(7_000_000 + ((i * 7919) % 1_000_003)),
      i % 50 === 0 ? 'N/A' : `$${(i % 997) + 1}.${String(i % 100).padStart(2, '0')} `,
      i % 2 ? `${m}/${d}/2020` : `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}-2021`,
      i % 5 === 0 ? '' : `note ${i % 7}`,
    ]);
  }
  return rows;
}

function profileRows(rows: string[][], cap?: number) {
  const p = new Profiler(NAMES, cap);
  for (let i = 0; i < rows.length; i += 1000) p.add(batchFromRows(NAMES, rows.slice(i, i + 1000)));
  return p.result();
}

/** The rows as one ASCII byte batch, each cell quoted, as the byte reader hands them over. */
function asciiCells(rows: string[][]): AsciiCells {
  const width = NAMES.length;
  const start = new Int32Array(rows.length * width);
  const end = new Int32Array(rows.length * width);
  let text = '';
  rows.forEach((r, i) =>
    r.forEach((v, c) => {
      const escaped = v.replaceAll('"', '""');
      text += '"';
      start[i * width + c] = text.length;
      text += escaped;
      end[i * width + c] = escaped === v ? text.length : ~text.length;
      text += '",';
    }),
  );
  return { bytes: Buffer.from(text, 'latin1'), start, end, width, length: rows.length };
}

describe('profiles past the distinct cap', () => {
  const rows = salesRows(30_000);
  const exact = profileRows(rows);
  const sketched = profileRows(rows, 5_000);

  it('spills the columns that keep growing and marks their figures as estimates', () => {
    const capped = sketched.columns.filter((c) => c.distinctCapped).map((c) => c.name);
    expect(capped).toContain('id');
    expect(capped).not.toContain('note');
    expect(exact.columns.every((c) => !c.distinctCapped)).toBe(true);
  });

  it('keeps rows, nulls, types, fit, misfits, formats, min, max and lengths exact', () => {
    for (const [i, c] of sketched.columns.entries()) {
      const e = exact.columns[i];
      expect({
        ...c.guess,
        n: c.nullCount,
        min: c.min,
        max: c.max,
        len: [c.lengthMin, c.lengthMax],
      }).toEqual({
        ...e.guess,
        n: e.nullCount,
        min: e.min,
        max: e.max,
        len: [e.lengthMin, e.lengthMax],
      });
    }
    expect(sketched.columns[3].guess.type).toBe('decimal');
    expect(sketched.columns[4].guess.formats).toEqual(['MM-dd-yyyy', 'M/d/yyyy']);
  });

  it('estimates distinct counts closely and counts every row in the histogram', () => {
    for (const [i, c] of sketched.columns.entries()) {
      const e = exact.columns[i];
      expect(Math.abs(c.distinctCount - e.distinctCount) / e.distinctCount).toBeLessThan(0.03);
      const total = (h: { count: number }[]): number => h.reduce((s, b) => s + b.count, 0);
      expect(total(c.histogram)).toBe(total(e.histogram));
    }
  });

  it('suggests the same key, checked over every row', () => {
    expect(exact.suggestedKey).toEqual(['id']);
    expect(sketched.suggestedKey).toEqual(['id']);
    // A repeated id and a repeated order line: the key becomes id + line... or none shorter.
    const dup = [...rows, [...rows[10]]];
    expect(profileRows(dup, 5_000).suggestedKey).toEqual(profileRows(dup).suggestedKey);
    expect(profileRows(dup, 5_000).suggestedKey).not.toEqual(['id']);
  });

  it('finds the same key when the search takes several passes over the rows', () => {
    const dup = [...rows, [...rows[10]]];
    for (const cap of [undefined, 5_000]) {
      const p = new Profiler(NAMES, cap);
      p.add(batchFromRows(NAMES, dup));
      const q = new Profiler(NAMES, cap);
      q.add(batchFromRows(NAMES, dup));
      expect(p.result({ keyRowsPerPass: 1000 }).suggestedKey).toEqual(q.result().suggestedKey);
    }
  });

  it('reads byte cells as it reads text cells, spilled or not', () => {
    const odd = rows
      .slice(0, 3000)
      .map((r, i) => (i % 9 ? r : [r[0], ' N/A ', 'x "q"', ...r.slice(3)]));
    for (const cap of [undefined, 500]) {
      const p = new Profiler(NAMES, cap);
      for (let i = 0; i < odd.length; i += 1000)
        p.addAscii(asciiCells(odd.slice(i, i + 1000)), '"');
      const q = new Profiler(NAMES, cap);
      for (let i = 0; i < odd.length; i += 1000)
        q.add(batchFromRows(NAMES, odd.slice(i, i + 1000)));
      expect(p.result()).toEqual(q.result());
    }
  });
});

describe('a spill', () => {
  /** Cells of every kind a spill meets: plain digits and the ones like them that are not. */
  function oddCells(n: number): string[] {
    const kinds = [
      (i: number) => String(1000 + ((i * 7919) % 5003)),
      (i: number) => String(i % 40),
      (i: number) => `00${i % 17}`,
      (i: number) => ` ${i % 23}`,
      (i: number) => `${i % 31} `,
      (i: number) => String(123456789012345 + (i % 3)),
      (i: number) => String(1234567890123456 + (i % 3)),
      (i: number) => `${i % 9}.5`,
      (i: number) => `-${i % 13}`,
      (i: number) => `${(i % 12) + 1}/${(i % 28) + 1}/2020`,
      (i: number) => `202001${String((i % 28) + 1).padStart(2, '0')}`,
      (i: number) => ['N/A', 'null', ''][i % 3],
      (i: number) => `é${i % 5}`,
      (i: number) => `x${i % 50}`,
    ];
    return Array.from({ length: n }, (_, i) => kinds[(i * 5) % kinds.length](i));
  }

  /** What a sketch gives out (a counter keeps bytes or text: the same value either way). */
  function seen(s: Sketch | null) {
    if (s === null) return null;
    const { top, least, most, ...rest } = s;
    return { ...rest, top: top.top(100), least: least.value, most: most.value };
  }

  it('makes the same sketch and row codes from values of digits as from their texts', () => {
    const cells = oddCells(20_000);
    for (const at of [1, 700, 20_000]) {
      const a = new ColumnAccumulator();
      const b = new ColumnAccumulator();
      cells.slice(0, at).forEach((v) => (a.add(v), b.add(v)));
      a.spill();
      b.spill(true);
      cells.slice(at).forEach((v) => (a.add(v), b.add(v)));
      expect(seen(a.sketch)).toEqual(seen(b.sketch));
      expect(a.codes).toEqual(b.codes);
      expect([a.nulls, a.lenMin, a.lenMax]).toEqual([b.nulls, b.lenMin, b.lenMax]);
    }
    // Codes: a column of plain digits alone keeps them, and the two agree on each row's hash.
    const ints = cells.filter((v) => /^[1-9]\d{0,14}$/.test(v));
    const a = new ColumnAccumulator();
    const b = new ColumnAccumulator();
    ints.forEach((v) => (a.add(v), b.add(v)));
    a.spill();
    b.spill(true);
    expect(a.codes).not.toBeNull();
    expect(a.codes).toEqual(b.codes);
    expect(seen(a.sketch)).toEqual(seen(b.sketch));
  });
});

describe('whether a column has each value on consecutive rows', () => {
  /** The accumulator's answer, its values given as text or as ASCII bytes, spilled at `at`. */
  function told(values: string[], at: number, bytes: boolean): boolean {
    const acc = new ColumnAccumulator();
    values.forEach((v, r) => {
      if (r === at) acc.spill();
      if (!bytes) return acc.add(v);
      const b = Buffer.from(v, 'latin1');
      acc.addCells(b, Int32Array.of(0), Int32Array.of(b.length), 0, 1, 1, '"');
    });
    if (values.length === at) acc.spill();
    return acc.clustered;
  }

  it('says so only when it is so, and for sorted numbers whether spilled or not', () => {
    const rnd = seeded(18);
    for (let round = 0; round < 400; round++) {
      const kind = round % 4;
      const n = 1 + rnd(60);
      let x = rnd(5);
      const values = Array.from({ length: n }, () => {
        if (kind === 0) return String((x += rnd(2))); // sorted numbers, runs of repeats
        if (kind === 1) return String(rnd(6)); // any order
        if (kind === 2) return ['b', 'a', 'c', ' 1', '1', '01'][(x += rnd(2)) % 6]; // runs, wrapping
        return String(rnd(3) === 0 ? (x -= 1) : (x += rnd(2))); // sorted, with falls
      });
      const truth = clustered(values);
      for (const at of [0, rnd(n), n, n + 1])
        for (const bytes of [false, true]) {
          const said = told(values, at, bytes);
          if (said) expect(truth, values.join('|')).toBe(true);
          if (kind === 0) expect(said, `${values.join('|')} spilled at ${at}`).toBe(true);
        }
      // Exact, the answer is the truth itself.
      expect(told(values, n + 1, false)).toBe(truth);
    }
  });
});

describe('the least and greatest text of a sketch', () => {
  it('are those of the texts offered, as text or as bytes, whichever way each came', () => {
    const rnd = seeded(18);
    const chars = ['0', '1', '9', 'a', 'Z', ' ', '~', 'é', '中'];
    for (let round = 0; round < 300; round++) {
      const least = new TextBound(-1);
      const most = new TextBound(1);
      const texts: string[] = [];
      for (let i = 0, n = 1 + rnd(30); i < n; i++) {
        // Now and then a long one, past what a bound keeps as bytes, and of ASCII alone.
        const long = rnd(4) === 0;
        const pick = (): string => chars[rnd(long ? chars.length - 2 : chars.length)];
        const t = Array.from({ length: long ? 60 + rnd(10) : rnd(5) }, pick).join('');
        texts.push(t);
        const ascii = [...t].every((c) => c.charCodeAt(0) < 128);
        if (ascii && rnd(4) > 0) {
          const b = Buffer.from(`##${t}#`, 'latin1');
          least.offerBytes(b, 2, 2 + t.length);
          most.offerBytes(b, 2, 2 + t.length);
        } else {
          least.offerText(t);
          most.offerText(t);
        }
        // Asked for now and then: a value made a string goes on being compared as one.
        if (rnd(5) === 0) {
          const so = [...texts].sort();
          expect([least.value, most.value]).toEqual([so[0], so[so.length - 1]]);
        }
      }
      const sorted = [...texts].sort();
      expect([least.value, most.value]).toEqual([sorted[0], sorted[sorted.length - 1]]);
    }
    expect(new TextBound(1).value).toBeNull();
  });
});

describe('sketches', () => {
  it('HyperLogLog counts 200,000 distinct values within 3%', () => {
    const h = new HyperLogLog();
    for (let i = 0; i < 400_000; i++) h.addHash(hashText(`v${i % 200_000}`, 1));
    expect(Math.abs(h.estimate() - 200_000) / 200_000).toBeLessThan(0.03);
  });

  it('top values keep every value more frequent than rows/(k+1), counts never above the truth', () => {
    const t = new TopValues(64);
    for (let i = 0; i < 100_000; i++) {
      const v = i % 10 === 0 ? 'hot' : i % 25 === 0 ? 'warm' : `cold ${i}`;
      t.add(hashText(v, 1), 1, v);
    }
    const [hot, warm] = t.top(2);
    expect(hot.value).toBe('hot');
    expect(warm.value).toBe('warm');
    expect(hot.count).toBeLessThanOrEqual(10_000);
    expect(hot.count).toBeGreaterThan(10_000 - 100_000 / 65);
    expect(warm.count).toBeLessThanOrEqual(2_000);
  });

  it('keeps the same top values from ASCII bytes as from text, short and long', () => {
    const fromText = new TopValues(64);
    const fromBytes = new TopValues(64);
    const long = 'x'.repeat(40);
    for (let i = 0; i < 20_000; i++) {
      const v = i % 7 === 0 ? `${long} ${i % 3}` : i % 5 === 0 ? `hot ${i % 4}` : `cold ${i}`;
      const b = Buffer.from(`,${v},`, 'latin1');
      fromText.add(hashText(v, 1), 1, v);
      fromBytes.add(hashText(v, 1), 1, b, 1, b.length - 1);
    }
    const top = fromBytes.top(8);
    expect(top).toEqual(fromText.top(8));
    expect(top.map((t) => t.value)).toEqual(expect.arrayContaining([`${long} 0`, 'hot 0']));
  });

  it('a fine histogram spans the exact min and max and counts every value', () => {
    const h = new FineHistogram();
    for (const x of [5, -3, 1e6, 42, 42, 7.5]) h.add(x);
    const bins = h.bins(10, String);
    expect(bins[0].from).toBe('-3');
    expect(bins[9].to).toBe('1000000');
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(6);
    expect(bins[0].count).toBe(5);
  });
});

describe('the key search before the profiles', () => {
  it('finds the key from what the columns keep, as it does from their profiles', () => {
    for (const cap of [undefined, 5_000]) {
      const p = new Profiler(NAMES, cap);
      const rows = salesRows(30_000);
      for (let i = 0; i < rows.length; i += 1000)
        p.add(batchFromRows(NAMES, rows.slice(i, i + 1000)));
      // Taken before the profiles are worked out, as a split profile does.
      const parts = p.keyParts();
      const key = p.key(parts);
      const whole = p.result();
      expect(key).toEqual(whole.suggestedKey);
      expect(key).not.toBeNull();
      for (const k of parts) {
        const c = whole.columns[k.index];
        expect([k.nullCount, k.distinctCount, k.distinctCapped], c.name).toEqual([
          c.nullCount,
          c.distinctCount,
          c.distinctCapped,
        ]);
      }
      expect(parts.some((k) => k.distinctCapped)).toBe(cap !== undefined);
    }
  });
});
