/**
 * Where a block of CSV bytes has its delimiters, quotes and line breaks (LF, CR): the only bytes
 * at which the byte scanner (csv-bytes.ts) has anything to decide. A small WebAssembly function
 * finds them 16 bytes at a time with SIMD compares, and the scanner steps from one to the next
 * instead of testing every byte in JavaScript, which was the larger part of reading a file: a
 * field of the bench file is seven bytes on average.
 *
 * The function is written out here as WebAssembly's binary form, instruction by instruction (a
 * module of about 200 bytes: no compiler or generated file needed). Where WebAssembly SIMD is
 * missing, a loop in JavaScript finds the same positions.
 */

const SIMD = 0xfd;
const I32 = 0x7f;
const V128 = 0x7b;

/** The opcodes the function uses. */
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_STORE = 0x36;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_CTZ = 0x68;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_SHL = 0x74;
/** No result: a block's type. */
const VOID = 0x40;
const V128_LOAD = [SIMD, 0x00, 0x00, 0x00]; // align 1, offset 0
const I8X16_SPLAT = [SIMD, 0x0f];
const I8X16_EQ = [SIMD, 0x23];
const V128_OR = [SIMD, 0x50];
const I8X16_BITMASK = [SIMD, 0x64];

// The function's locals: its parameters first.
const LEN = 0; // bytes to look at, from address 0
const OUT = 1; // where the positions go (int32s)
const DELIM = 2;
const QUOTE = 3;
const AT = 4; // the 16 bytes looked at start here
const FOUND = 5; // positions written so far
const MASK = 6; // of the 16 bytes, those still to write
const V_DELIM = 7;
const V_QUOTE = 8;
const V_LF = 9;
const V_CR = 10;
const V = 11;

const get = (i: number): number[] => [LOCAL_GET, i];
const set = (i: number): number[] => [LOCAL_SET, i];
const int = (n: number): number[] => [I32_CONST, ...sleb(n)];

/**
 * scan(len, out, delim, quote) -> found: writes the position of every byte of [0, len) that is
 * `delim`, `quote`, LF or CR to out, out + 4, ... in order, and returns how many. Reads up to 15
 * bytes past len (the caller leaves room).
 */
// prettier-ignore
const SCAN: number[] = [
  ...get(DELIM), ...I8X16_SPLAT, ...set(V_DELIM),
  ...get(QUOTE), ...I8X16_SPLAT, ...set(V_QUOTE),
  ...int(10), ...I8X16_SPLAT, ...set(V_LF),
  ...int(13), ...I8X16_SPLAT, ...set(V_CR),
  BLOCK, VOID,
  LOOP, VOID,
  // while (at < len)
  ...get(AT), ...get(LEN), I32_GE_U, BR_IF, 1,
  ...get(AT), ...V128_LOAD, ...set(V),
  ...get(V), ...get(V_DELIM), ...I8X16_EQ,
  ...get(V), ...get(V_QUOTE), ...I8X16_EQ, ...V128_OR,
  ...get(V), ...get(V_LF), ...I8X16_EQ, ...V128_OR,
  ...get(V), ...get(V_CR), ...I8X16_EQ, ...V128_OR,
  ...I8X16_BITMASK, ...set(MASK),
  // The last, partial 16: only the bytes before len.
  ...get(LEN), ...get(AT), I32_SUB, ...int(16), I32_LT_U,
  IF, VOID,
  ...get(MASK),
  ...int(1), ...get(LEN), ...get(AT), I32_SUB, I32_SHL, ...int(1), I32_SUB,
  I32_AND, ...set(MASK),
  END,
  BLOCK, VOID,
  LOOP, VOID,
  // while (mask) { out[found++] = at + ctz(mask); mask &= mask - 1 }
  ...get(MASK), I32_EQZ, BR_IF, 1,
  ...get(OUT), ...get(FOUND), ...int(2), I32_SHL, I32_ADD,
  ...get(AT), ...get(MASK), I32_CTZ, I32_ADD,
  I32_STORE, 0x02, 0x00,
  ...get(FOUND), ...int(1), I32_ADD, ...set(FOUND),
  ...get(MASK), ...get(MASK), ...int(1), I32_SUB, I32_AND, ...set(MASK),
  BR, 0,
  END,
  END,
  ...get(AT), ...int(16), I32_ADD, ...set(AT),
  BR, 0,
  END,
  END,
  ...get(FOUND),
  END,
];

/** The module: one memory ("mem") and the function ("scan"). */
export function stopsModule(): Uint8Array {
  const locals = [...uleb(2), 3, I32, 5, V128];
  const body = [...locals, ...SCAN];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
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
}

let kernel: Kernel | null | undefined;

/** The WebAssembly function, made once per thread; null where SIMD (or WebAssembly) is missing. */
function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;
  const bytes = stopsModule();
  if (!wasm?.validate(bytes)) return (kernel = null);
  const { exports } = new wasm.Instance(new wasm.Module(bytes));
  kernel = { memory: exports.mem as Memory, scan: exports.scan as Kernel['scan'] };
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
): Int32Array {
  const k = simd ? loadKernel() : null;
  if (k === null) return stopsInJs(b, len, delim, quote);
  // The bytes, 16 of room, then as many positions as there could be, and the stop past them.
  const out = (len + 16 + 3) & ~3;
  const need = out + 4 * (len + 1);
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
