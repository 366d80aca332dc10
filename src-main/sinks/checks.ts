/**
 * The checks every database load makes before a row reaches the database: a watermark to
 * compare with the last load's, a key that is not null and not repeated in this load.
 */
import { KeySet } from '../engine/hashset';
import { keyFn } from '../engine/keys';
import { rawValue, type Batch, type Field } from '../engine/table';
import { SinkError, type RejectRow } from './sink';

/** What a database load did with its rows: rows = inserted + updated + unchanged + rejected + skipped. */
export interface LoadCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

/**
 * Why a row with U+0000 in a text cell is refused by every database load, so a recipe behaves
 * the same whichever database it loads into (`why`: what this database would do with it).
 */
export function nulByte(column: string, why: string): string {
  return `${column}: text contains a NUL byte (U+0000), which ${why}`;
}

/**
 * The reasons a load refuses a row before the database sees it, worded once for every load
 * (the streamed ones and the one the server makes itself, pg-inserver.ts).
 */
export const REASON = {
  nullWatermark: (watermark: string): string => `${watermark} is null`,
  nullKey: (key: string[]): string => `a key column (${key.join(', ')}) is null`,
  duplicateKey: (key: string[]): string =>
    `key ${key.join(' + ')} appears more than once in this load`,
  notNull: (column: string): string => `${column} is null, and the column is NOT NULL`,
  misfit: (column: string, v: string | number, type: string): string =>
    `${column}: ${JSON.stringify(v)} does not fit the ${type} column`,
};

export function newCounts(): LoadCounts {
  return { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 };
}

/**
 * A row a database load will not take: with on_violation stop the load ends (and rolls back),
 * with skip the row is counted and reported to the run's rejects.
 */
export function refuseRow(
  out: { table: string; on_violation: 'skip' | 'stop' },
  counts: LoadCounts,
  reject: RejectRow,
  batch: Batch,
  row: number,
  rule: string,
  reason: string,
): void {
  if (out.on_violation === 'stop')
    throw new SinkError(
      `${out.table}: the row on line ${batch.line[row]} was refused (${rule}): ${reason}`,
    );
  counts.rejected++;
  reject(batch, row, rule, `${out.table}: ${reason}`);
}

export interface LoadSpec {
  table: string;
  key?: string[];
  watermark?: string;
}

export type Verdict =
  { ok: true } | { ok: false; skip: true } | { ok: false; rule: string; reason: string };

/** The verdict of every row that passes: one object, not one per row of a million-row load. */
const PASS: Verdict = Object.freeze({ ok: true });

export class LoadChecks {
  readonly keyCols: number[];
  private readonly wmCol: number;
  private readonly seen = new KeySet();
  /** The largest watermark value among the rows that passed. */
  newHighWater: number | null = null;

  constructor(
    private readonly spec: LoadSpec,
    fields: Field[],
    /** The last load's watermark, if any: rows at or before it are skipped. */
    readonly highWater: number | null = null,
  ) {
    const names = fields.map((f) => f.name);
    const find = (n: string, what: string): number => {
      const i = names.indexOf(n);
      if (i < 0)
        throw new SinkError(
          `${what} column "${n}" is not among the output columns (${names.join(', ')})`,
        );
      return i;
    };
    this.keyCols = (spec.key ?? []).map((k) => find(k, 'key'));
    this.wmCol = spec.watermark ? find(spec.watermark, 'watermark') : -1;
  }

  /**
   * For the rows of one batch: true when a row may go on to the database; a row before the
   * watermark is counted as skipped, a failing row goes to `refuse`.
   */
  admitter(
    batch: Batch,
    counts: LoadCounts,
    refuse: (row: number, rule: string, reason: string) => void,
  ): (row: number) => boolean {
    const check = this.forBatch(batch);
    return (i) => {
      counts.rows++;
      const v = check(i);
      if (v.ok) return true;
      if ('skip' in v) counts.skipped++;
      else refuse(i, v.rule, v.reason);
      return false;
    };
  }

  private forBatch(batch: Batch): (row: number) => Verdict {
    const key = this.keyCols.length ? keyFn(batch, this.keyCols) : null;
    const wm = this.wmCol >= 0 ? batch.columns[this.wmCol] : null;
    const { spec } = this;
    return (i) => {
      if (wm) {
        const w = rawValue(wm, i) as number | null;
        if (w === null)
          return {
            ok: false,
            rule: 'null_watermark',
            reason: REASON.nullWatermark(spec.watermark!),
          };
        if (this.highWater !== null && w <= this.highWater) return { ok: false, skip: true };
      }
      if (key) {
        const k = key(i);
        if (k === null)
          return {
            ok: false,
            rule: 'null_key',
            reason: REASON.nullKey(spec.key!),
          };
        if (!this.seen.add(k))
          return {
            ok: false,
            rule: 'duplicate_key',
            reason: REASON.duplicateKey(spec.key!),
          };
      }
      if (wm) {
        const w = rawValue(wm, i) as number;
        if (this.newHighWater === null || w > this.newHighWater) this.newHighWater = w;
      }
      return PASS;
    };
  }
}
