/**
 * One page of a column of numbers, stored as offsets from the page's first value in the
 * narrowest width that holds every value so far (frame of reference). Keys that arrive in
 * order of first appearance sit close together (an order number and its line items), so a
 * page of them mostly takes one to three bytes a value where a Float64Array takes eight.
 *
 *   const p = new RefPage(1 << 14); p.set(0, 366001); p.set(1, 366003); p.get(1) // 366003
 */

/** Storage widths, narrowest first; every value equal (CONST) needs no storage at all. */
const CONST = 0;
const I8 = 1;
const I16 = 2;
const I24 = 3;
const I32 = 4;
const F64 = 5;

const NONE_I8 = new Int8Array(0);
const NONE_I16 = new Int16Array(0);
const NONE_U8 = new Uint8Array(0);
const NONE_I32 = new Int32Array(0);
const NONE_F64 = new Float64Array(0);

/** The narrowest width that holds `v` on a page whose first value is `base`. */
function widthOf(v: number, base: number): number {
  if ((v | 0) !== v) return F64; // fractions, NaN, infinities, beyond int32 (-0 counts as 0)
  const d = v - base;
  if (d === 0) return CONST;
  if (d >= -128 && d < 128) return I8;
  if (d >= -32768 && d < 32768) return I16;
  if (d >= -8388608 && d < 8388608) return I24;
  return I32;
}

export class RefPage {
  private mode = CONST;
  /** The page's first value when it is a whole number (offsets count from it); else 0. */
  private base = 0;
  /** One array per width, so that each read below sees a single array type. */
  private i8 = NONE_I8;
  private i16 = NONE_I16;
  /** Three little-endian bytes a value (I24). */
  private u24 = NONE_U8;
  private i32 = NONE_I32;
  private f64 = NONE_F64;

  constructor(private readonly capacity: number) {}

  /** The value at `off`. */
  get(off: number): number {
    switch (this.mode) {
      case CONST:
        return this.base;
      case I8:
        return this.base + this.i8[off];
      case I16:
        return this.base + this.i16[off];
      case I24: {
        const u = this.u24;
        const j = off * 3;
        return this.base + (((u[j] | (u[j + 1] << 8) | (u[j + 2] << 16)) << 8) >> 8);
      }
      case I32:
        return this.i32[off];
      default:
        return this.f64[off];
    }
  }

  /** Stores `v` at `off`; values go in order: `off` is the count stored so far. */
  set(off: number, v: number): void {
    if (off === 0) {
      // The first value decides the reference; 0 for one that is not a whole number.
      const whole = (v | 0) === v;
      this.base = whole ? v | 0 : 0;
      this.mode = CONST;
      if (!whole) this.widen(0, F64);
    } else {
      const w = widthOf(v, this.base);
      if (w > this.mode) this.widen(off, w);
    }
    this.put(off, v);
  }

  /** Bytes of storage the page holds. */
  get bytes(): number {
    return (
      this.i8.byteLength +
      this.i16.byteLength +
      this.u24.byteLength +
      this.i32.byteLength +
      this.f64.byteLength
    );
  }

  private put(off: number, v: number): void {
    const d = v - this.base;
    switch (this.mode) {
      case CONST:
        return;
      case I8:
        this.i8[off] = d;
        return;
      case I16:
        this.i16[off] = d;
        return;
      case I24: {
        const j = off * 3;
        this.u24[j] = d;
        this.u24[j + 1] = d >> 8;
        this.u24[j + 2] = d >> 16;
        return;
      }
      case I32:
        this.i32[off] = v;
        return;
      default:
        this.f64[off] = v;
    }
  }

  /** Moves the `count` values stored so far to the width `to`. */
  private widen(count: number, to: number): void {
    const old = new Float64Array(count);
    for (let i = 0; i < count; i++) old[i] = this.get(i);
    this.i8 = to === I8 ? new Int8Array(this.capacity) : NONE_I8;
    this.i16 = to === I16 ? new Int16Array(this.capacity) : NONE_I16;
    this.u24 = to === I24 ? new Uint8Array(this.capacity * 3) : NONE_U8;
    this.i32 = to === I32 ? new Int32Array(this.capacity) : NONE_I32;
    this.f64 = to === F64 ? new Float64Array(this.capacity) : NONE_F64;
    this.mode = to;
    for (let i = 0; i < count; i++) this.put(i, old[i]);
  }
}
