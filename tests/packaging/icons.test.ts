/**
 * scripts/icons.mjs turns resources/icon.svg into the icons electron-builder.yml names: PNGs at
 * each size for Linux, an ICO for Windows, an ICNS for macOS. Each is read back by its own
 * format's rules (magic bytes, directory, declared sizes), as the OS would.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, snippet } from '../helpers/docs';
import { tempDir } from '../helpers/tmp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

let dir: string;

beforeAll(() => {
  dir = tempDir('sluice-icons-');
  // The command docs/desktop.md gives, told to write into a folder of the test's own.
  const [command, ...args] = snippet('desktop-icons').trim().split(/\s+/);
  expect(command).toBe('node');
  execFileSync(process.execPath, [...args, dir], { cwd: ROOT });
});

describe('scripts/icons.mjs', () => {
  it('renders a square PNG at every size from 16 to 1024, named as Linux targets expect', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = readFileSync(join(dir, 'png', `${size}x${size}.png`));
      expect(pngSize(png), `${size}x${size}.png`).toEqual({ width: size, height: size });
    }
    expect(pngSize(readFileSync(join(dir, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('draws the mark: the file is resources/icon.svg at that size, a tile with clear corners', () => {
    const svg = readFileSync(join(ROOT, 'resources', 'icon.svg'));
    const image = new Resvg(svg, { fitTo: { mode: 'width', value: 256 } }).render();
    expect(readFileSync(join(dir, 'png', '256x256.png')).equals(image.asPng())).toBe(true);
    const alpha = (x: number, y: number): number => image.pixels[(y * 256 + x) * 4 + 3];
    // The rounded tile leaves the corners see-through and covers the middle.
    for (const [x, y] of [
      [0, 0],
      [255, 0],
      [0, 255],
      [255, 255],
    ])
      expect(alpha(x, y)).toBe(0);
    for (const [x, y] of [
      [128, 128],
      [128, 40],
      [40, 200],
    ])
      expect(alpha(x, y)).toBe(255);
  });

  it('writes an ICO whose directory lists 16 to 256 px images that lie inside the file', () => {
    const ico = readFileSync(join(dir, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // 1 = icon (2 would be a cursor)
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const size = ico[entry] === 0 ? 256 : ico[entry]; // 0 stands for 256
      expect(ico[entry + 1] === 0 ? 256 : ico[entry + 1]).toBe(size);
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const image = ico.subarray(offset, offset + length);
      // Each image is a PNG or a BMP without its file header (a 40-byte BITMAPINFOHEADER).
      if (image.subarray(0, 8).equals(PNG_SIGNATURE))
        expect(pngSize(image)).toEqual({ width: size, height: size });
      else {
        expect(image.readUInt32LE(0)).toBe(40);
        expect(image.readInt32LE(4)).toBe(size);
      }
      sizes.push(size);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('writes an ICNS whose chunks add up to its length, with PNG images up to 1024 px', () => {
    const icns = readFileSync(join(dir, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const chunks = new Map<string, Buffer>();
    for (let at = 8; at < icns.length;) {
      const length = icns.readUInt32BE(at + 4);
      expect(length).toBeGreaterThan(8);
      chunks.set(icns.subarray(at, at + 4).toString('ascii'), icns.subarray(at + 8, at + length));
      at += length;
    }
    // Apple's types for PNG images: ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x).
    for (const [type, size] of [
      ['ic07', 128],
      ['ic08', 256],
      ['ic09', 512],
      ['ic10', 1024],
    ] as const)
      expect(pngSize(chunks.get(type)!), type).toEqual({ width: size, height: size });
  });
});
