#!/usr/bin/env node
/**
 * The app's icons, made from the one source, resources/icon.svg: PNGs at every size a desktop
 * asks for (png/16x16.png … png/1024x1024.png, the folder electron-builder's Linux targets
 * read), icon.png (1024, for the window), icon.ico (Windows) and icon.icns (macOS).
 *
 *   node scripts/icons.mjs [out-dir]     (default resources/icons; npm run package runs it)
 *
 * The icons are build output, so they are gitignored; each PNG is rendered from the vector
 * at its own size rather than scaled down from a big bitmap, which keeps 16 px legible.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** The SVG rendered as a square PNG `size` pixels wide. */
function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

/** Writes every icon into `outDir` and returns the paths written. */
export function makeIcons(outDir = join(ROOT, 'resources', 'icons')) {
  const svg = readFileSync(join(ROOT, 'resources', 'icon.svg'));
  mkdirSync(join(outDir, 'png'), { recursive: true });
  const written = [];
  const write = (name, data) => {
    // png2icons answers null rather than throwing; a missing icon must stop the package.
    if (!data) throw new Error(`icons: could not make ${name}`);
    writeFileSync(join(outDir, name), data);
    written.push(join(outDir, name));
  };
  const pngs = new Map(SIZES.map((size) => [size, render(svg, size)]));
  for (const [size, png] of pngs) write(join('png', `${size}x${size}.png`), png);
  const largest = pngs.get(1024);
  write('icon.png', largest);
  write('icon.ico', png2icons.createICO(largest, png2icons.BICUBIC2, 0, false, true));
  write('icon.icns', png2icons.createICNS(largest, png2icons.BICUBIC2, 0));
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const written = makeIcons(outDir);
  console.log(`icons: ${written.length} files in ${outDir ?? join(ROOT, 'resources', 'icons')}`);
}
