/**
 * The CSV record scanner: splits text into records and fields (RFC 4180 quoting, `""` for a
 * quote inside a quoted field). A record ends at a line break outside quotes, and a line break
 * is any of CRLF, LF or a lone CR, so a file whose lines end differently (pasted together from
 * Windows, Unix and old Mac sources) reads line by line.
 *
 * A record's fields come out as offsets into the text (where each starts and ends, and whether
 * it holds doubled quotes), not as strings: the reader cuts the strings it keeps from them, and
 * nothing is allocated per record.
 *
 * The scanner never guesses across a block's end: a record that may continue in the text not
 * read yet is reported `incomplete`, and the caller comes back with more text.
 */

export type ScanStatus = 'row' | 'incomplete' | 'broken';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export class CsvScanner {
  /** Where the next record starts. */
  pos = 0;
  /** The record just scanned: where it started, where its content and line break end. */
  start = 0;
  contentEnd = 0;
  end = 0;
  /** Line breaks inside the record (in quoted fields); each of CRLF, LF, CR counts once. */
  breaks = 0;
  /** Its fields: how many, and for each where its text starts and ends, and 1 when it holds `""`. */
  count = 0;
  fieldStart = new Int32Array(64);
  fieldEnd = new Int32Array(64);
  fieldEscaped = new Uint8Array(64);
  /** For a `broken` record: what is wrong, and where. */
  problem = '';
  problemAt = 0;

  private nextDelim: number;
  private nextLf: number;
  private nextCr: number;
  private readonly q: number;

  constructor(
    private readonly text: string,
    /** No more text follows: a record may end at the end of the text. */
    private readonly eof: boolean,
    private readonly delim: string,
    private readonly quote: string,
  ) {
    this.q = quote.charCodeAt(0);
    // Fields are found with indexOf over the whole text (the next delimiter, LF, CR are
    // remembered between records), so plain rows cost a few native searches each.
    this.nextDelim = text.indexOf(delim);
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  /** The record's fields as strings (sniffing and tests; the reader cuts only what it keeps). */
  get fields(): string[] {
    const out: string[] = [];
    for (let f = 0; f < this.count; f++) out.push(this.field(f));
    return out;
  }

  /** Field `f` of the record just scanned, as a string. */
  field(f: number): string {
    const v = this.text.slice(this.fieldStart[f], this.fieldEnd[f]);
    return this.fieldEscaped[f] ? v.replaceAll(this.quote + this.quote, this.quote) : v;
  }

  /**
   * Scans the record at `pos`. `row`: `count`, `fieldStart` etc. are set and `pos` moves past
   * it. `incomplete`: the record runs past the end of a text that is not the end of the file.
   * `broken`: a quoted field is closed by something other than a delimiter or line break, or
   * (at the end of the file) never closed; `start` is set and `pos` is left where it was.
   * Returns null at the end of the text.
   */
  next(): ScanStatus | null {
    const text = this.text;
    const len = text.length;
    let cur = this.pos;
    if (cur >= len) return null;
    this.start = cur;
    this.breaks = 0;
    let nf = 0;
    for (;;) {
      if (nf === this.fieldStart.length) this.moreFields();
      if (cur < len && text.charCodeAt(cur) === this.q) {
        // A quoted field: find its closing quote.
        const from = cur + 1;
        let search = from;
        let escaped = 0;
        let close: number;
        for (;;) {
          close = text.indexOf(this.quote, search);
          if (close === -1) {
            if (!this.eof) return 'incomplete';
            return this.broken('a quoted field is never closed', this.start);
          }
          if (close + 1 >= len && !this.eof) return 'incomplete';
          if (text.charCodeAt(close + 1) === this.q) {
            escaped = 1;
            search = close + 2;
            continue;
          }
          break;
        }
        this.fieldStart[nf] = from;
        this.fieldEnd[nf] = close;
        this.fieldEscaped[nf] = escaped;
        nf++;
        this.countBreaks(from, close);
        // Spaces between the closing quote and what follows it are let go.
        let k = close + 1;
        while (k < len) {
          const c = text.charCodeAt(k);
          if (c !== SPACE && (c !== TAB || this.delim === '\t')) break;
          k++;
        }
        if (k >= len) {
          if (!this.eof) return 'incomplete';
          return this.row(nf, len, len);
        }
        if (text.startsWith(this.delim, k)) {
          cur = k + this.delim.length;
          continue;
        }
        const c = text.charCodeAt(k);
        if (c === LF) return this.row(nf, k, k + 1);
        if (c === CR) {
          if (k + 1 >= len && !this.eof) return 'incomplete';
          return this.row(nf, k, text.charCodeAt(k + 1) === LF ? k + 2 : k + 1);
        }
        return this.broken(
          `a quoted field is followed by ${JSON.stringify(text[k])} instead of a delimiter or the end of the line`,
          k,
        );
      }
      // An unquoted field ends at the next delimiter or line break.
      if (this.nextDelim !== -1 && this.nextDelim < cur)
        this.nextDelim = text.indexOf(this.delim, cur);
      if (this.nextLf !== -1 && this.nextLf < cur) this.nextLf = text.indexOf('\n', cur);
      if (this.nextCr !== -1 && this.nextCr < cur) this.nextCr = text.indexOf('\r', cur);
      const d = this.nextDelim;
      let nl = this.nextLf;
      if (this.nextCr !== -1 && (nl === -1 || this.nextCr < nl)) nl = this.nextCr;
      this.fieldStart[nf] = cur;
      this.fieldEscaped[nf] = 0;
      if (d !== -1 && (nl === -1 || d < nl)) {
        this.fieldEnd[nf++] = d;
        cur = d + this.delim.length;
        continue;
      }
      if (nl === -1) {
        if (!this.eof) return 'incomplete';
        this.fieldEnd[nf++] = len;
        return this.row(nf, len, len);
      }
      this.fieldEnd[nf++] = nl;
      if (text.charCodeAt(nl) === LF) return this.row(nf, nl, nl + 1);
      if (nl + 1 >= len && !this.eof) return 'incomplete';
      return this.row(nf, nl, text.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1);
    }
  }

  /** Where the physical line that starts at `from` ends, and where the next one starts. */
  lineAfter(from: number): { contentEnd: number; end: number } {
    const text = this.text;
    // The remembered positions only move forward: broken records come in order.
    if (this.nextLf !== -1 && this.nextLf < from) this.nextLf = text.indexOf('\n', from);
    if (this.nextCr !== -1 && this.nextCr < from) this.nextCr = text.indexOf('\r', from);
    const lf = this.nextLf;
    const cr = this.nextCr;
    const nl = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
    if (nl === -1) return { contentEnd: text.length, end: text.length };
    return {
      contentEnd: nl,
      end: text.charCodeAt(nl) === CR && text.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1,
    };
  }

  /** A broken record, once the line with the problem is complete (the caller rejects through it). */
  private broken(problem: string, at: number): 'broken' | 'incomplete' {
    if (!this.eof) {
      const { contentEnd, end } = this.lineAfter(at);
      if (
        end >= this.text.length &&
        (contentEnd === end || this.text.charCodeAt(contentEnd) === CR)
      )
        return 'incomplete';
    }
    this.problem = problem;
    this.problemAt = at;
    return 'broken';
  }

  private row(count: number, contentEnd: number, end: number): 'row' {
    this.count = count;
    this.contentEnd = contentEnd;
    this.end = end;
    this.pos = end;
    return 'row';
  }

  /** Counts the line breaks in text[from, to) with the remembered LF and CR positions. */
  private countBreaks(from: number, to: number): void {
    const text = this.text;
    if (this.nextLf !== -1 && this.nextLf < from) this.nextLf = text.indexOf('\n', from);
    if (this.nextCr !== -1 && this.nextCr < from) this.nextCr = text.indexOf('\r', from);
    while (this.nextLf !== -1 && this.nextLf < to) {
      this.breaks++;
      this.nextLf = text.indexOf('\n', this.nextLf + 1);
    }
    while (this.nextCr !== -1 && this.nextCr < to) {
      if (text.charCodeAt(this.nextCr + 1) !== LF) this.breaks++;
      this.nextCr = text.indexOf('\r', this.nextCr + 1);
    }
  }

  private moreFields(): void {
    const n = this.fieldStart.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
    this.fieldStart = grow(this.fieldStart, new Int32Array(n));
    this.fieldEnd = grow(this.fieldEnd, new Int32Array(n));
    this.fieldEscaped = grow(this.fieldEscaped, new Uint8Array(n));
  }
}

/** Complete records of a text (skipping blank and broken ones), as sniffing wants them. */
export function scanRows(
  text: string,
  delim: string,
  quote: string,
  opts: { eof: boolean; limit?: number },
): string[][] {
  const s = new CsvScanner(text, opts.eof, delim, quote);
  const rows: string[][] = [];
  const limit = opts.limit ?? Infinity;
  while (rows.length < limit) {
    const st = s.next();
    if (st === null || st === 'incomplete') break;
    if (st === 'broken') {
      s.pos = s.lineAfter(s.start).end;
      continue;
    }
    if (s.count === 1 && s.contentEnd === s.start) continue;
    rows.push(s.fields);
  }
  return rows;
}

/** Line breaks (CRLF, LF or lone CR, each once) in text[from, to). */
export function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const CR_OUTSIDE = 4;

/**
 * Follows a record too long to keep, without keeping it, to where it really ends: its text is
 * fed in pieces and only counted. The same quoting rules as the scanner, so the record's end
 * is found past every line break inside its quoted fields, and reading resumes on a real row.
 */
export class RecordSkipper {
  /** Line breaks passed inside the record. */
  breaks = 0;
  /** Line (counted from the record's first, 0) where the last quoted field opened. */
  quoteLine = 0;
  /** Characters fed so far. */
  private chars = 0;
  /** Where the record's content ends (set when its line break is seen). */
  private content = -1;
  /** Length of the line break the text fed so far ends with, inside quotes. */
  private trailing = 0;
  /** The last character fed, inside quotes, was a CR (an LF next completes CR LF). */
  private afterCr = false;
  private state = FIELD_START;
  private readonly d: number;
  private readonly q: number;

  constructor(delim: string, quote: string) {
    this.d = delim.charCodeAt(0);
    this.q = quote.charCodeAt(0);
  }

  get inQuotes(): boolean {
    return this.state === QUOTED;
  }

  /** Whether the text fed so far ends in a line break inside quotes (the file's last, which ends no line). */
  get endsWithBreak(): boolean {
    return this.trailing > 0;
  }

  /** Length of the record's text without its line break (or the file's last one). */
  get contentChars(): number {
    return this.content >= 0 ? this.content : this.chars - this.trailing;
  }

  /**
   * Feeds the next piece of the record's text. Returns where in `text` the next record starts
   * (the record ended in this piece), or -1 when the record goes on.
   */
  feed(text: string): number {
    const { d, q } = this;
    let state = this.state;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (state === CR_OUTSIDE) {
        this.state = FIELD_START;
        return c === LF ? i + 1 : i;
      }
      if (state === QUOTED) {
        if (c === q) {
          state = QUOTE_IN_QUOTED;
          this.trailing = 0;
        } else if (c === LF) {
          // CR LF is one line break; LF after anything else (another LF too) is a new one.
          if (this.afterCr) this.trailing = 2;
          else {
            this.breaks++;
            this.trailing = 1;
          }
        } else if (c === CR) {
          this.breaks++;
          this.trailing = 1;
        } else this.trailing = 0;
        this.afterCr = c === CR;
        continue;
      }
      if (state === FIELD_START && c === q) {
        state = QUOTED;
        this.quoteLine = this.breaks;
        continue;
      }
      // An unquoted field, or what follows a quoted field's closing quote.
      if (state === QUOTE_IN_QUOTED && c === q) state = QUOTED;
      else if (c === d) state = FIELD_START;
      else if (c === LF) {
        this.state = FIELD_START;
        this.content = this.chars + i;
        return i + 1;
      } else if (c === CR) {
        state = CR_OUTSIDE;
        this.content = this.chars + i;
      } else if (state !== QUOTE_IN_QUOTED || (c !== SPACE && c !== TAB)) state = UNQUOTED;
    }
    this.state = state;
    this.chars += len;
    return -1;
  }
}
