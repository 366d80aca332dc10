/**
 * Just enough of WebAssembly's binary form to write a function instruction by instruction:
 * named locals, structured blocks whose branches name their target (the depth is counted here),
 * and the few module sections a module of functions over one memory needs. What csv-stops.ts
 * writes its functions with; no compiler and no generated file.
 */

export const I32 = 0x7f;
export const V128 = 0x7b;

/** A function body: its code and the names of the blocks it is inside. */
export class Code {
  readonly bytes: number[] = [];
  private readonly labels: string[] = [];

  op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }

  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }

  i32(n: number): this {
    return this.op(0x41, ...sleb(n));
  }

  /** i32.load of 4 bytes at the address on the stack. */
  load32(): this {
    return this.op(0x28, 0x02, 0x00);
  }

  /** i32.load8_u: one byte. */
  load8(): this {
    return this.op(0x2d, 0x00, 0x00);
  }

  store32(): this {
    return this.op(0x36, 0x02, 0x00);
  }

  store8(): this {
    return this.op(0x3a, 0x00, 0x00);
  }

  /** A block: a branch to `name` leaves it. */
  block(name: string, body: () => void): this {
    return this.nest(0x02, name, body);
  }

  /** A loop: a branch to `name` goes back to its start. */
  loop(name: string, body: () => void): this {
    return this.nest(0x03, name, body);
  }

  /** if (the value on the stack) then ... else ... */
  when(then: () => void, otherwise?: () => void): this {
    this.op(0x04, 0x40);
    this.labels.push('');
    then();
    if (otherwise) {
      this.op(0x05);
      otherwise();
    }
    this.labels.pop();
    return this.op(0x0b);
  }

  br(name: string): this {
    return this.op(0x0c, this.depth(name));
  }

  /** Branches when the value on the stack is not 0. */
  brIf(name: string): this {
    return this.op(0x0d, this.depth(name));
  }

  private nest(code: number, name: string, body: () => void): this {
    this.op(code, 0x40);
    this.labels.push(name);
    body();
    this.labels.pop();
    return this.op(0x0b);
  }

  private depth(name: string): number {
    const at = this.labels.lastIndexOf(name);
    if (at < 0) throw new Error(`no block ${name} around this branch`);
    return this.labels.length - 1 - at;
  }
}

/** The opcodes of i32 arithmetic and comparison used here. */
export const op = {
  eqz: 0x45,
  eq: 0x46,
  ne: 0x47,
  ltS: 0x48,
  ltU: 0x49,
  gtS: 0x4a,
  gtU: 0x4b,
  geS: 0x4e,
  geU: 0x4f,
  ctz: 0x68,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shl: 0x74,
} as const;

export interface FunctionDef {
  params: number[];
  results: number[];
  /** Locals past the parameters, as [count, type] groups. */
  locals: [number, number][];
  body: number[];
  export: string;
}

/** A module of `functions` over one memory, exported as "mem". */
export function wasmModule(functions: FunctionDef[]): Uint8Array {
  const types = functions.flatMap((f) => [
    0x60,
    ...uleb(f.params.length),
    ...f.params,
    ...uleb(f.results.length),
    ...f.results,
  ]);
  const exports = [
    ...name('mem'),
    0x02,
    0,
    ...functions.flatMap((f, i) => [...name(f.export), 0x00, ...uleb(i)]),
  ];
  const bodies = functions.flatMap((f) => {
    const body = [
      ...uleb(f.locals.length),
      ...f.locals.flatMap(([n, t]) => [...uleb(n), t]),
      ...f.body,
      0x0b,
    ];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(3, [...uleb(functions.length), ...functions.map((_, i) => i)]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [...uleb(functions.length + 1), ...exports]),
    ...section(10, [...uleb(functions.length), ...bodies]),
  ]);
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
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
