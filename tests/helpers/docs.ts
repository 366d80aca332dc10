/**
 * The documentation's fenced code blocks (README.md and docs/*.md), and the marker comment in
 * front of each: `<!-- snippet: ID -->` names a block a test runs (by `snippet('ID')`), and
 * `<!-- not run: why -->` says why a test does not run it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** README.md and every docs/*.md, relative to the repository's root. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export type Marker = { kind: 'snippet'; id: string } | { kind: 'not run'; why: string };

export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`sh`, `yaml`, ...), '' when there is none. */
  lang: string;
  text: string;
  /** The marker comment just before the fence (blank lines between allowed), if any. */
  marker: Marker | null;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const SNIPPET = /^<!-- snippet: ([\w-]+) -->$/;
const NOT_RUN = /^<!-- not run: (\S.*\S) -->$/;

/** Every fenced block of one file, in order. */
export function blocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (
      end < lines.length &&
      !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])
    )
      end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const comment = before >= 0 ? lines[before].trim() : '';
    const s = SNIPPET.exec(comment);
    const n = NOT_RUN.exec(comment);
    out.push({
      file,
      line: i + 1,
      lang: open[2].toLowerCase(),
      text: lines.slice(i + 1, end).join('\n') + '\n',
      marker: s ? { kind: 'snippet', id: s[1] } : n ? { kind: 'not run', why: n[1] } : null,
    });
    i = end;
  }
  return out;
}

/** The text of the block marked `<!-- snippet: id -->`, wherever in the docs it lives now. */
export function snippet(id: string): string {
  const found = docFiles()
    .flatMap(blocks)
    .filter((b) => b.marker?.kind === 'snippet' && b.marker.id === id);
  if (found.length !== 1)
    throw new Error(`snippet "${id}" is marked ${found.length} times in README.md and docs/`);
  return found[0].text;
}

/** The text of a file from the heading `heading` (a whole line) to the next heading of its level or above. */
export function section(file: string, heading: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lines = text.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`${file} has no heading ${JSON.stringify(heading)}`);
  const level = /^#+/.exec(heading)![0].length;
  let end = at + 1;
  let inFence = false;
  for (; end < lines.length; end++) {
    if (FENCE.test(lines[end])) inFence = !inFence;
    const h = !inFence && /^(#+) /.exec(lines[end]);
    if (h && h[1].length <= level) break;
  }
  return lines.slice(at, end).join('\n');
}
