/**
 * Rows to CSV bytes, straight into a reused buffer: no string per cell or per line. Plain ASCII
 * text, integers, decimals and ISO dates are written byte by byte; anything else (text that
 * needs quotes or protection, non-ASCII text, unusual numbers) goes through the same functions
 * as before (csvCell, formatValue), so the output is byte for byte what they give.
 */
import { csvCell } from '../../src-shared/csv';
import type { Batch } from '../engine/table';
import { daysFromCivil, formatIsoDate } from '../engine/dates';
import { formatValue } from '../engine/format';

/** The days of 0000-01-01 and 9999-12-31: four-digit years. */
const FIRST_DAY = daysFromCivil(0, 1, 1);
const LAST_DAY = daysFromCivil(9999, 12, 31);
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** How each column is written. */
const TEXT = 0;
const NUMBER = 1;
const DATE = 2;
const OTHER = 3;
/** Room always kept free at the end of the buffer. */
const SLACK = 64;
const NO_NUMS = new Float64Array(0);
/** Days whose text is kept (about 45 years). */
const DAYS = 1 << 14;
const NO_VALID = new Uint8Array(0);

export class CsvEncoder {
  /** The bytes encoded so far: buf[0, length). */
  buf: Buffer;
  length = 0;
  /**
   * Bytes kept free beyond any write: room for the numbers, dates, delimiters and line break of
   * the rest of a row, which are written without a check of their own.
   */
  private reserve = SLACK;
  /** yyyy-MM-dd of the days dayBase..dayBase + DAYS - 1 met so far (dayKnown says which). */
  private dayBase = 0;
  private readonly dayText = new Uint8Array(DAYS * 10);
  private readonly dayKnown = new Uint8Array(DAYS);
  private readonly d: number;
  private readonly nl: number[];

  constructor(
    private readonly delimiter: string,
    private readonly protect: boolean,
    newline: string,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
    // A one-byte delimiter is written inline; another goes through csvCell and a string write.
    this.d = delimiter.length === 1 && delimiter.charCodeAt(0) < 128 ? delimiter.charCodeAt(0) : -1;
    this.nl = [...Buffer.from(newline, 'utf8')];
  }

  /** Drops the encoded bytes (after they were written out). */
  clear(): void {
    this.length = 0;
  }

  /**
   * Encodes rows from `start` on, stopping after the row that brings the buffer to `limit`
   * bytes; returns the next row to encode (batch.length when all are).
   */
  rows(batch: Batch, start: number, limit: number): number {
    const ncols = batch.columns.length;
    // Each column's arrays, looked up once: the loop below then reads plain arrays.
    const texts: ((string | null)[] | null)[] = [];
    const nums: Float64Array[] = [];
    const valids: Uint8Array[] = [];
    const how = new Int8Array(ncols);
    for (let c = 0; c < ncols; c++) {
      const col = batch.columns[c];
      const type = batch.fields[c].type;
      if (col.kind === 'text') {
        texts.push(col.values);
        nums.push(NO_NUMS);
        valids.push(NO_VALID);
        how[c] = TEXT;
      } else {
        texts.push(null);
        nums.push(col.values);
        valids.push(col.valid);
        how[c] =
          type === 'int' || type === 'float' || type === 'decimal'
            ? NUMBER
            : type === 'date'
              ? DATE
              : OTHER;
      }
    }
    const nl = this.nl;
    const d = this.d;
    // Numbers, dates and delimiters of a row fit in the reserve; text makes its own room.
    this.reserve = ncols * 32 + nl.length + SLACK;
    for (let i = start; i < batch.length; i++) {
      this.room(0);
      for (let c = 0; c < ncols; c++) {
        if (c > 0) {
          if (d >= 0) this.buf[this.length++] = d;
          else this.string(this.delimiter);
        }
        const h = how[c];
        if (h === TEXT) {
          const v = texts[c]![i];
          if (v !== null) this.text(v);
          continue;
        }
        if (valids[c][i] === 0) continue;
        const v = nums[c][i];
        if (h === NUMBER) {
          // Whole numbers, the common case, inline.
          if (v >= 0 && v < 1e15 && Math.floor(v) === v) this.digits(v, 0);
          else this.number(v);
        } else if (h === DATE) this.date(v);
        else this.string(formatValue(batch.fields[c].type, v));
      }
      for (let k = 0; k < nl.length; k++) this.buf[this.length++] = nl[k];
      if (this.length >= limit) return i + 1;
    }
    return batch.length;
  }

  /** Makes room for `bytes` more bytes, plus what the rest of the row may need. */
  private room(bytes: number): void {
    const need = this.length + bytes + this.reserve;
    if (need <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, need));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** Any string, as UTF-8. */
  private string(s: string): void {
    this.room(s.length * 3);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  /**
   * A text cell. Plain ASCII is copied byte by byte, quoted when it holds the delimiter or a
   * line break, its quotes doubled; what may need formula protection, and non-ASCII text, go
   * through csvCell.
   */
  private text(v: string): void {
    const n = v.length;
    const d = this.d;
    if (n === 0) return;
    const c0 = v.charCodeAt(0);
    // = + - @ tab CR may need protection: csvCell decides.
    if (
      d < 0 ||
      (this.protect && (c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64 || c0 === 9 || c0 === 13))
    )
      return this.string(csvCell(v, this.delimiter, this.protect));
    let quote = false;
    let quotes = 0;
    for (let k = 0; k < n; k++) {
      const c = v.charCodeAt(k);
      if (c >= 128) return this.string(csvCell(v, this.delimiter, this.protect));
      if (c === 34) quotes++;
      else if (c === d || c === 10 || c === 13) quote = true;
    }
    this.room(n + quotes + 2);
    const buf = this.buf;
    let p = this.length;
    if (quote || quotes > 0) {
      buf[p++] = 34;
      for (let k = 0; k < n; k++) {
        const c = v.charCodeAt(k);
        buf[p++] = c;
        if (c === 34) buf[p++] = 34;
      }
      buf[p++] = 34;
    } else for (let k = 0; k < n; k++) buf[p++] = v.charCodeAt(k);
    this.length = p;
  }

  /** A date cell: yyyy-MM-dd written directly for four-digit years. */
  private date(v: number): void {
    if (v >= FIRST_DAY && v <= LAST_DAY && v === Math.floor(v)) {
      // Dates of a file mostly fall within a few years: their text is kept, by day.
      let k = v - this.dayBase;
      if (k < 0 || k >= DAYS) {
        this.dayBase = v - (DAYS >> 1);
        this.dayKnown.fill(0);
        k = v - this.dayBase;
      }
      const buf = this.buf;
      const p = this.length;
      const at = k * 10;
      if (this.dayKnown[k] === 0) {
        this.isoDate(v);
        buf.copy(this.dayText, at, p, p + 10);
        this.dayKnown[k] = 1;
        return;
      }
      const t = this.dayText;
      for (let i = 0; i < 10; i++) buf[p + i] = t[at + i];
      this.length = p + 10;
    } else this.string(formatIsoDate(v));
  }

  /** formatNumber's text: digits of integers, shortest decimals, written directly when short. */
  number(v: number): void {
    const neg = v < 0;
    const a = neg ? -v : v;
    if (a < 1e15) {
      if (Math.floor(a) === a) {
        // -0 is written as 0, as formatNumber does.
        if (neg && a !== 0) this.buf[this.length++] = 45;
        this.digits(a, 0);
        return;
      }
      // With up to 15 digits, a decimal that divides back to v exactly is v's shortest
      // spelling, which is what toString gives (no two such decimals share a double).
      for (let k = 1; k < POW10.length; k++) {
        const r = Math.round(a * POW10[k]);
        if (r >= 1e15) break;
        if (r / POW10[k] === a) {
          if (neg) this.buf[this.length++] = 45;
          this.digits(r, k);
          return;
        }
      }
    }
    this.string(formatValue('float', v));
  }

  /** The digits of a whole number r < 1e15 with a point before its last `k` digits. */
  private digits(r: number, k: number): void {
    const buf = this.buf;
    // Count the digits (at least k + 1, for the 0 before the point).
    let len = 1;
    while (len < 15 && r >= POW10[len]) len++;
    if (len < k + 1) len = k + 1;
    const end = this.length + len + (k > 0 ? 1 : 0);
    let p = end;
    let x = r;
    let j = 0;
    // Above 2^31, digit by digit in doubles; below, in int32 (a multiply, not a division).
    for (; x >= 2147483648; j++) {
      if (k > 0 && j === k) buf[--p] = 46;
      const q = Math.floor(x / 10);
      buf[--p] = 48 + (x - q * 10);
      x = q;
    }
    let xi = x | 0;
    for (; j < len; j++) {
      if (k > 0 && j === k) buf[--p] = 46;
      const q = (xi / 10) | 0;
      buf[--p] = 48 + xi - q * 10;
      xi = q;
    }
    this.length = end;
  }

  /** yyyy-MM-dd of a day number in years 0..9999. */
  private isoDate(days: number): void {
    // Hinnant's civil_from_days, inline: no array per cell.
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp + (mp < 10 ? 3 : -9);
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    const buf = this.buf;
    const p = this.length;
    buf[p] = 48 + Math.floor(y / 1000);
    buf[p + 1] = 48 + (Math.floor(y / 100) % 10);
    buf[p + 2] = 48 + (Math.floor(y / 10) % 10);
    buf[p + 3] = 48 + (y % 10);
    buf[p + 4] = 45;
    buf[p + 5] = 48 + Math.floor(m / 10);
    buf[p + 6] = 48 + (m % 10);
    buf[p + 7] = 45;
    buf[p + 8] = 48 + Math.floor(d / 10);
    buf[p + 9] = 48 + (d % 10);
    this.length = p + 10;
  }
}
