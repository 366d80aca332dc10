/**
 * Where a block of CSV bytes has its delimiters, quotes and line breaks (LF, CR): the only bytes
 * at which the byte scanner (csv-bytes.ts) has anything to decide. A small WebAssembly function
 * finds them 16 bytes at a time with SIMD compares, and the scanner steps from one to the next
 * instead of testing every byte in JavaScript, which was the larger part of reading a file: a
 * field of the bench file is seven bytes on average.
 *
 * A second function, `rows`, then cuts the plain rows of a block into their fields from those
 * positions, as ByteScanner.next does one row at a time in JavaScript (csv-bytes.ts): the 1M
 * rows of the bench file in 105 ms against 165, the stops included. It stops at the first row
 * that is not plain (a blank line, a row of another width or too long, one that runs to the
 * end of the block or that the text reader would call broken) and leaves that row to next,
 * which also takes the header.
 *
 * Both are written out here as WebAssembly's binary form, instruction by instruction, with
 * wasm-code.ts's blocks and named branches: a module of about 1.3 KB, no compiler or generated
 * file. Where WebAssembly SIMD is missing, a loop in JavaScript finds the
 * positions and next takes every row.
 */
import { Code, I32, op, V128, wasmModule } from './wasm-code';

/** The SIMD instructions `scan` uses (0xfd, then the instruction's number). */
const V128_LOAD = [0xfd, 0x00, 0x00, 0x00]; // align 1, offset 0
const I8X16_SPLAT = [0xfd, 0x0f];
const I8X16_EQ = [0xfd, 0x23];
const V128_OR = [0xfd, 0x50];
const I8X16_BITMASK = [0xfd, 0x64];

/** The locals of `scan`: its parameters, then its own. */
const S = {
  LEN: 0, // bytes to look at, from address 0
  OUT: 1, // where the positions go (int32s)
  DELIM: 2,
  QUOTE: 3,
  AT: 4, // the 16 bytes looked at start here
  FOUND: 5, // positions written so far
  MASK: 6, // of the 16 bytes, those still to write
  V_DELIM: 7,
  V_QUOTE: 8,
  V_LF: 9,
  V_CR: 10,
  V: 11,
} as const;

/**
 * scan(len, out, delim, quote) -> found: writes the position of every byte of [0, len) that is
 * `delim`, `quote`, LF or CR to out, out + 4, ... in order, and returns how many. Reads up to 15
 * bytes past len (the caller leaves room).
 */
function scanBody(): number[] {
  const c = new Code();
  const { LEN, OUT, DELIM, QUOTE, AT, FOUND, MASK, V_DELIM, V_QUOTE, V_LF, V_CR, V } = S;
  c.get(DELIM)
    .op(...I8X16_SPLAT)
    .set(V_DELIM);
  c.get(QUOTE)
    .op(...I8X16_SPLAT)
    .set(V_QUOTE);
  c.i32(10)
    .op(...I8X16_SPLAT)
    .set(V_LF);
  c.i32(13)
    .op(...I8X16_SPLAT)
    .set(V_CR);
  c.block('done', () =>
    c.loop('blocks', () => {
      c.get(AT).get(LEN).op(op.geU).brIf('done');
      c.get(AT)
        .op(...V128_LOAD)
        .set(V);
      c.get(V)
        .get(V_DELIM)
        .op(...I8X16_EQ);
      for (const x of [V_QUOTE, V_LF, V_CR])
        c.get(V)
          .get(x)
          .op(...I8X16_EQ, ...V128_OR);
      c.op(...I8X16_BITMASK).set(MASK);
      // The last, partial 16: only the bytes before len.
      c.get(LEN).get(AT).op(op.sub).i32(16).op(op.ltU);
      c.when(() => {
        c.get(MASK);
        c.i32(1).get(LEN).get(AT).op(op.sub, op.shl).i32(1).op(op.sub);
        c.op(op.and).set(MASK);
      });
      // while (mask) { out[found++] = at + ctz(mask); mask &= mask - 1 }
      c.block('written', () =>
        c.loop('bits', () => {
          c.get(MASK).op(op.eqz).brIf('written');
          c.get(OUT).get(FOUND).i32(2).op(op.shl, op.add);
          c.get(AT).get(MASK).op(op.ctz, op.add).store32();
          c.get(FOUND).i32(1).op(op.add).set(FOUND);
          c.get(MASK).get(MASK).i32(1).op(op.sub, op.and).set(MASK);
          c.br('bits');
        }),
      );
      c.get(AT).i32(16).op(op.add).set(AT);
      c.br('blocks');
    }),
  );
  c.get(FOUND);
  return c.bytes;
}

/** The module: one memory ("mem"), `scan` and `rows`. */
export function stopsModule(): Uint8Array {
  return wasmModule([
    {
      params: [I32, I32, I32, I32],
      results: [I32],
      locals: [
        [3, I32],
        [5, V128],
      ],
      body: scanBody(),
      export: 'scan',
    },
    {
      params: Array<number>(R.params).fill(I32),
      results: [I32],
      locals: [[R.locals, I32]],
      body: rowsBody(),
      export: 'rows',
    },
  ]);
}

/** The locals of `rows`: its parameters, then its own. */
const R = {
  // Parameters.
  LEN: 0,
  STOPS: 1, // address of the stops (findStops)
  SI: 2, // the first stop at or after POS
  POS: 3, // where the next row starts
  MAXROWS: 4,
  WIDTH: 5,
  BASE: 6, // cell offsets are from here
  D: 7,
  Q: 8,
  MAXREC: 9, // a longer row is left to next
  CS: 10, // addresses of the cells' starts, ends (int32) and plain lengths (bytes)
  CE: 11,
  CP: 12,
  ROWS: 13, // per row: where it starts, its line breaks in quotes (int32 pairs)
  STATE: 14, // at the end: POS and the stop index of the row not taken
  params: 15,
  // Locals.
  CUR: 15,
  P: 16,
  C: 17,
  NF: 18,
  BRK: 19,
  RS: 20,
  K: 21,
  CLOSE: 22,
  ESC: 23,
  X: 24,
  NROWS: 25,
  CELL: 26,
  CEND: 27,
  END: 28,
  FROM: 29,
  TO: 30,
  A: 31,
  Z: 32,
  PL: 33,
  RSI: 34,
  locals: 20,
} as const;

/**
 * rows(len, stops, si, pos, maxRows, width, base, delim, quote, maxRecord, cs, ce, cp, rows,
 * state) -> rows taken: ByteScanner.next over the plain rows from `pos` (see above), their
 * cells written from index 0 of cs, ce and cp, each row's start and line breaks to `rows`.
 */
function rowsBody(): number[] {
  const c = new Code();
  const { LEN, STOPS, SI, POS, MAXROWS, WIDTH, BASE, D, Q, MAXREC, CS, CE, CP, ROWS, STATE } = R;
  const { CUR, P, C, NF, BRK, RS, K, CLOSE, ESC, X, NROWS, CELL, CEND, END, FROM, TO, A, Z } = R;
  const { PL, RSI } = R;
  const inc = (l: number, by = 1): Code => c.get(l).i32(by).op(op.add).set(l);
  /** Pushes stops[i]. */
  const stop = (i: number): Code => c.get(STOPS).get(i).i32(2).op(op.shl, op.add).load32();
  /** Pushes the address of a cell's entry in an int32 array at `base`. */
  const cellAt = (base: number, shift: number): Code => {
    c.get(base).get(CELL).get(NF).op(op.add);
    if (shift) c.i32(shift).op(op.shl);
    return c.op(op.add);
  };
  /** SI past the stops before CUR. */
  const catchUp = (): void => {
    c.block('caught', () =>
      c.loop('behind', () => {
        stop(SI).get(CUR).op(op.geS).brIf('caught');
        inc(SI).br('behind');
      }),
    );
  };
  /** The cell [FROM, TO): its start, end (~end when escaped) and plain length. */
  const cell = (escaped: boolean): void => {
    cellAt(CS, 2).get(FROM).get(BASE).op(op.sub).store32();
    if (escaped) {
      cellAt(CE, 2).get(TO).get(BASE).op(op.sub).i32(-1).op(op.xor).store32();
      cellAt(CP, 0).i32(0).store8();
      return;
    }
    cellAt(CE, 2).get(TO).get(BASE).op(op.sub).store32();
    // plainLength: printable ASCII at both ends, then the length up to 255.
    c.i32(0).set(PL);
    c.get(TO).get(FROM).op(op.gtS);
    c.when(() => {
      c.get(FROM).load8().set(A);
      c.get(TO).i32(1).op(op.sub).load8().set(Z);
      c.get(A).i32(32).op(op.gtU).get(A).i32(127).op(op.ltU, op.and);
      c.get(Z).i32(32).op(op.gtU, op.and).get(Z).i32(127).op(op.ltU, op.and);
      c.when(() => {
        c.get(TO).get(FROM).op(op.sub).set(PL);
        c.get(PL)
          .i32(255)
          .op(op.gtS)
          .when(() => c.i32(255).set(PL));
      });
    });
    cellAt(CP, 0).get(PL).store8();
  };
  /** The row ends at X (a line break): its content end, its end, and on to the checks. */
  const lineBreak = (at: number): void => {
    c.get(at).load8().i32(10).op(op.eq);
    c.when(() => {
      c.get(at).set(CEND);
      c.get(at).i32(1).op(op.add).set(END);
      c.br('rowdone');
    });
    // CR: followed by LF or not, but not the block's last byte (more may come).
    c.get(at).i32(1).op(op.add).get(LEN).op(op.geS).brIf('exit');
    c.get(at).set(CEND);
    c.get(at).i32(1).op(op.add).load8().i32(10).op(op.eq);
    c.when(
      () => c.get(at).i32(2).op(op.add).set(END),
      () => c.get(at).i32(1).op(op.add).set(END),
    );
    c.br('rowdone');
  };

  c.block('exit', () =>
    c.loop('row', () => {
      c.get(SI).set(RSI);
      c.get(NROWS).get(MAXROWS).op(op.geS).brIf('exit');
      c.get(POS).set(RS);
      c.get(POS).set(CUR);
      c.i32(0).set(NF);
      c.i32(0).set(BRK);
      catchUp();
      c.get(SI).set(RSI);
      c.block('rowdone', () =>
        c.loop('field', () => {
          // Quoted: CUR < LEN and the byte there is the quote.
          c.get(CUR).get(LEN).op(op.ltS);
          c.when(
            () => c.get(CUR).load8().get(Q).op(op.eq).set(C),
            () => c.i32(0).set(C),
          );
          c.get(C);
          c.when(
            () => {
              // The closing quote, among the stops after the opening one.
              c.get(SI).i32(1).op(op.add).set(K);
              c.i32(0).set(ESC);
              c.i32(-1).set(CLOSE);
              c.block('closed', () =>
                c.loop('inside', () => {
                  stop(K).set(P);
                  c.get(P).get(LEN).op(op.geS).brIf('closed');
                  c.get(P).load8().set(C);
                  c.get(C).get(Q).op(op.eq);
                  c.when(() => {
                    c.get(P).i32(1).op(op.add).get(LEN).op(op.geS).brIf('exit');
                    c.get(P).i32(1).op(op.add).load8().get(Q).op(op.eq);
                    c.when(() => {
                      c.i32(1).set(ESC);
                      inc(K, 2).br('inside');
                    });
                    c.get(P).set(CLOSE).br('closed');
                  });
                  c.get(C).i32(10).op(op.eq);
                  c.when(
                    () => inc(BRK),
                    () => {
                      c.get(C).i32(13).op(op.eq);
                      c.when(() => {
                        c.get(P).i32(1).op(op.add).load8().i32(10).op(op.ne);
                        c.when(() => inc(BRK));
                      });
                    },
                  );
                  inc(K).br('inside');
                }),
              );
              c.get(CLOSE).i32(0).op(op.ltS).brIf('exit');
              c.get(NF).get(WIDTH).op(op.ltS);
              c.when(() => {
                c.get(CUR).i32(1).op(op.add).set(FROM);
                c.get(CLOSE).set(TO);
                c.get(ESC);
                c.when(
                  () => cell(true),
                  () => cell(false),
                );
              });
              inc(NF);
              // Spaces (and tabs, unless tab is the delimiter) after the closing quote.
              c.get(CLOSE).i32(1).op(op.add).set(X);
              c.block('spaced', () =>
                c.loop('space', () => {
                  c.get(X).get(LEN).op(op.geS).brIf('spaced');
                  c.get(X).load8().set(C);
                  c.get(C).i32(32).op(op.eq);
                  c.get(C).i32(9).op(op.eq).get(D).i32(9).op(op.ne, op.and);
                  c.op(op.or).op(op.eqz).brIf('spaced');
                  inc(X).br('space');
                }),
              );
              c.get(X).get(LEN).op(op.geS).brIf('exit');
              c.get(K).i32(1).op(op.add).set(SI);
              c.get(X).load8().get(D).op(op.eq);
              c.when(() => {
                c.get(X).i32(1).op(op.add).set(CUR);
                catchUp();
                c.br('field');
              });
              c.get(X).load8().set(C);
              c.get(C).i32(10).op(op.eq).get(C).i32(13).op(op.eq).op(op.or).op(op.eqz).brIf('exit');
              lineBreak(X);
            },
            () => {
              // Up to the next stop that is not a quote.
              stop(SI).set(P);
              c.block('found', () =>
                c.loop('quotes', () => {
                  c.get(P).get(LEN).op(op.geS).brIf('found');
                  c.get(P).load8().get(Q).op(op.ne).brIf('found');
                  inc(SI);
                  stop(SI).set(P);
                  c.br('quotes');
                }),
              );
              c.get(NF).get(WIDTH).op(op.ltS);
              c.when(() => {
                c.get(CUR).set(FROM);
                c.get(P).set(TO);
                cell(false);
              });
              inc(NF);
              c.get(P).get(LEN).op(op.geS).brIf('exit');
              inc(SI);
              c.get(P).load8().get(D).op(op.eq);
              c.when(() => {
                c.get(P).i32(1).op(op.add).set(CUR);
                c.br('field');
              });
              lineBreak(P);
            },
          );
        }),
      );
      // A plain row: as wide as the header, not blank, not too long.
      c.get(NF).get(WIDTH).op(op.ne).brIf('exit');
      c.get(NF).i32(1).op(op.eq).get(CEND).get(RS).op(op.eq, op.and).brIf('exit');
      c.get(CEND).get(RS).op(op.sub).get(MAXREC).op(op.gtS).brIf('exit');
      c.get(ROWS).get(NROWS).i32(3).op(op.shl, op.add).get(RS).store32();
      c.get(ROWS).get(NROWS).i32(3).op(op.shl, op.add).i32(4).op(op.add).get(BRK).store32();
      inc(NROWS);
      c.get(CELL).get(WIDTH).op(op.add).set(CELL);
      c.get(END).set(POS);
      c.br('row');
    }),
  );
  c.get(STATE).get(POS).store32();
  c.get(STATE).i32(4).op(op.add).get(RSI).store32();
  c.get(NROWS);
  return c.bytes;
}

const PAGE = 1 << 16;

/** What this file uses of WebAssembly (the Node types here have no lib for it). */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

interface Kernel {
  memory: Memory;
  scan: (len: number, out: number, delim: number, quote: number) => number;
  rows: (...args: number[]) => number;
}

let kernel: Kernel | null | undefined;

/** The WebAssembly function, made once per thread; null where SIMD (or WebAssembly) is missing. */
function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;
  const bytes = stopsModule();
  if (!wasm?.validate(bytes)) return (kernel = null);
  const { exports } = new wasm.Instance(new wasm.Module(bytes));
  kernel = {
    memory: exports.mem as Memory,
    scan: exports.scan as Kernel['scan'],
    rows: exports.rows as Kernel['rows'],
  };
  return kernel;
}

/** Whether findStops runs as WebAssembly SIMD on this thread (else in JavaScript). */
export function simdStops(): boolean {
  return loadKernel() !== null;
}

/**
 * The positions in [0, len) of `b` of every byte that is `delim`, `quote`, LF or CR, ascending,
 * then len (a stop past the last). The array may be a view of memory the next call reuses: it
 * is good until then.
 */
export function findStops(
  b: Uint8Array,
  len: number,
  delim: number,
  quote: number,
  simd = true,
  room = 0,
): Int32Array {
  const k = simd ? loadKernel() : null;
  if (k === null) return stopsInJs(b, len, delim, quote);
  // The bytes, 16 of room, then as many positions as there could be, and the stop past them;
  // then `room` more (cutRows).
  const out = (len + 16 + 3) & ~3;
  const need = out + 4 * (len + 1) + room;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / PAGE));
  const mem = new Uint8Array(k.memory.buffer);
  mem.set(b.subarray(0, len), 0);
  const found = k.scan(len, out, delim, quote);
  const stops = new Int32Array(k.memory.buffer, out, found + 1);
  stops[found] = len;
  return stops;
}

/** findStops in JavaScript, a byte at a time. */
export function stopsInJs(b: Uint8Array, len: number, delim: number, quote: number): Int32Array {
  const stops = new Int32Array(len + 1);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i];
    if (c === delim || c === quote || c === 10 || c === 13) stops[n++] = i;
  }
  stops[n] = len;
  return stops.subarray(0, n + 1);
}

/** The memory cutRows needs after the stops, for up to `rows` rows of `width` cells. */
export function rowsRoom(rows: number, width: number): number {
  return 9 * rows * width + 8 * rows + 32;
}

/** What cutRows took: rows, where the next one starts, and its first stop. */
export interface CutRows {
  rows: number;
  pos: number;
  si: number;
  /** Per row taken: where it starts, and its line breaks inside quotes (pairs). */
  info: Int32Array;
}

/**
 * The plain rows from `pos` of the block findStops was just given (the same thread, nothing
 * else found since), cut by `rows` (see above), up to `maxRows`: their cells go to `into` from
 * index `at`, as ByteScanner.next writes them. Null where findStops ran in JavaScript, or
 * without `room` for this many rows.
 */
export function cutRows(
  stops: Int32Array,
  o: {
    len: number;
    si: number;
    pos: number;
    maxRows: number;
    width: number;
    base: number;
    delim: number;
    quote: number;
    maxRecord: number;
  },
  into: { start: Int32Array; end: Int32Array; plain: Uint8Array; at: number },
): CutRows | null {
  const k = kernel;
  if (!k || stops.buffer !== k.memory.buffer) return null;
  const cells = o.maxRows * o.width;
  const cs = (stops.byteOffset + 4 * (o.len + 1) + 7) & ~7;
  const ce = cs + 4 * cells;
  const cp = ce + 4 * cells;
  const rows = (cp + cells + 7) & ~7;
  const state = rows + 8 * o.maxRows;
  if (state + 8 > k.memory.buffer.byteLength) return null;
  const n = k.rows(
    o.len,
    stops.byteOffset,
    o.si,
    o.pos,
    o.maxRows,
    o.width,
    o.base,
    o.delim,
    o.quote,
    Math.min(o.maxRecord, 0x7fffffff),
    cs,
    ce,
    cp,
    rows,
    state,
  );
  const buf = k.memory.buffer;
  const taken = n * o.width;
  if (taken > 0) {
    into.start.set(new Int32Array(buf, cs, taken), into.at);
    into.end.set(new Int32Array(buf, ce, taken), into.at);
    into.plain.set(new Uint8Array(buf, cp, taken), into.at);
  }
  const st = new Int32Array(buf, state, 2);
  return { rows: n, pos: st[0], si: st[1], info: new Int32Array(buf, rows, 2 * n) };
}
