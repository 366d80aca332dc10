/**
 * The checks every database load makes before a row reaches the database: a watermark to
 * compare with the last load's, a key that is not null and not repeated in this load.
 */
import { KeySet } from '../engine/hashset';
import { keyFn } from '../engine/keys';
import { rawValue, type Batch, type Field } from '../engine/table';
import { SinkError } from './sink';

export interface LoadSpec {
  table: string;
  key?: string[];
  watermark?: string;
}

export type Verdict =
  { ok: true } | { ok: false; skip: true } | { ok: false; rule: string; reason: string };

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

  /** A checker for the rows of one batch. */
  forBatch(batch: Batch): (row: number) => Verdict {
    const key = this.keyCols.length ? keyFn(batch, this.keyCols) : null;
    const wm = this.wmCol >= 0 ? batch.columns[this.wmCol] : null;
    const { spec } = this;
    return (i) => {
      if (wm) {
        const w = rawValue(wm, i) as number | null;
        if (w === null)
          return { ok: false, rule: 'null_watermark', reason: `${spec.watermark} is null` };
        if (this.highWater !== null && w <= this.highWater) return { ok: false, skip: true };
      }
      if (key) {
        const k = key(i);
        if (k === null)
          return {
            ok: false,
            rule: 'null_key',
            reason: `a key column (${spec.key!.join(', ')}) is null`,
          };
        if (!this.seen.add(k))
          return {
            ok: false,
            rule: 'duplicate_key',
            reason: `key ${spec.key!.join(' + ')} appears more than once in this load`,
          };
      }
      if (wm) {
        const w = rawValue(wm, i) as number;
        if (this.newHighWater === null || w > this.newHighWater) this.newHighWater = w;
      }
      return { ok: true };
    };
  }
}
