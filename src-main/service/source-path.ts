/** How a recipe names a file: relative to the data folder when inside it, else its full path. */
import { relative, sep } from 'node:path';

export function sourcePath(dataDir: string, file: string): string {
  const rel = relative(dataDir, file);
  return rel.startsWith('..') || rel.startsWith(sep) ? file : rel.split(sep).join('/');
}
