/**
 * The CSV record scanner as it was before it worked on field offsets (src-main/io/csv-scan.ts
 * until the run-speed work): kept as the oracle the new scanner is checked against.
 */
export type ScanStatus = 'row' | 'incomplete' | 'broken';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export class CsvScannerBefore {
  /** Where the next record starts. */
  pos = 0;
  /** The record just scanned: its fields, where it started, where its content and line break end. */
  fields: string[] = [];
  start = 0;
  contentEnd = 0;
  end = 0;
  /** Line breaks inside the record (in quoted fields); each of CRLF, LF, CR counts once. */
  breaks = 0;
  /** For a `broken` record: what is wrong, and where. */
  problem = '';
  problemAt = 0;

  private nextDelim: number;
  private nextLf: number;
  private nextCr: number;
  private readonly dlen: number;
  private readonly q: number;
  private readonly qq: string;

  constructor(
    private readonly text: string,
    /** No more text follows: a record may end at the end of the text. */
    private readonly eof: boolean,
    private readonly delim: string,
    private readonly quote: string,
  ) {
    this.dlen = delim.length;
    this.q = quote.charCodeAt(0);
    this.qq = quote + quote;
    this.nextDelim = text.indexOf(delim);
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  /**
   * Scans the record at `pos`. `row`: `fields` etc. are set and `pos` moves past it.
   * `incomplete`: the record runs past the end of a text that is not the end of the file.
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
    const fields: string[] = [];
    for (;;) {
      if (cur < len && text.charCodeAt(cur) === this.q) {
        // A quoted field: find its closing quote.
        const from = cur + 1;
        let search = from;
        let escaped = false;
        let close: number;
        for (;;) {
          close = text.indexOf(this.quote, search);
          if (close === -1) {
            if (!this.eof) return 'incomplete';
            return this.broken('a quoted field is never closed', this.start);
          }
          if (close + 1 >= len && !this.eof) return 'incomplete';
          if (text.charCodeAt(close + 1) === this.q) {
            escaped = true;
            search = close + 2;
            continue;
          }
          break;
        }
        let value = text.slice(from, close);
        if (escaped) value = value.replaceAll(this.qq, this.quote);
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
          fields.push(value);
          return this.finish(fields, len, len);
        }
        if (text.startsWith(this.delim, k)) {
          fields.push(value);
          cur = k + this.dlen;
          continue;
        }
        const c = text.charCodeAt(k);
        if (c === LF) {
          fields.push(value);
          return this.finish(fields, k, k + 1);
        }
        if (c === CR) {
          if (k + 1 >= len && !this.eof) return 'incomplete';
          fields.push(value);
          return this.finish(fields, k, text.charCodeAt(k + 1) === LF ? k + 2 : k + 1);
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
      if (d !== -1 && (nl === -1 || d < nl)) {
        fields.push(text.slice(cur, d));
        cur = d + this.dlen;
        continue;
      }
      if (nl === -1) {
        if (!this.eof) return 'incomplete';
        fields.push(text.slice(cur));
        return this.finish(fields, len, len);
      }
      fields.push(text.slice(cur, nl));
      if (text.charCodeAt(nl) === LF) return this.finish(fields, nl, nl + 1);
      if (nl + 1 >= len && !this.eof) return 'incomplete';
      return this.finish(fields, nl, text.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1);
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

  private finish(fields: string[], contentEnd: number, end: number): 'row' {
    this.fields = fields;
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
}
