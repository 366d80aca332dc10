import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../src-main/io/decode';

describe('windows-1252 decoding', () => {
  it('maps 0x80-0x9F through the windows-1252 table, not Latin-1', () => {
    const d = createDecoder('windows-1252');
    expect(d.decode(Buffer.from([0x4c, 0x27, 0x48, 0x41, 0x9f, 0x80, 0x9a, 0x8c]))).toBe(
      "L'HAŸ€šŒ",
    );
  });
  it('maps every other byte to the same code point, and large chunks in one piece', () => {
    const all = Buffer.from(
      Array.from({ length: 256 }, (_, i) => i).filter((b) => b < 0x80 || b >= 0xa0),
    );
    const s = createDecoder('windows-1252').decode(Buffer.concat(Array(500).fill(all)));
    expect(s.length).toBe(all.length * 500);
    expect([...s.slice(0, all.length)].map((c) => c.charCodeAt(0))).toEqual([...all]);
  });
});
