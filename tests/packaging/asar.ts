/**
 * What an app.asar holds, read from its header alone. The archive is a Chromium pickle: a
 * 4-byte size of the size field, the header pickle's size, then that pickle's own payload size
 * and the JSON header's length, then the JSON. Reading it here (rather than through
 * @electron/asar, which electron-builder uses to write it) keeps the check independent of the
 * writer.
 */
import { closeSync, openSync, readSync } from 'node:fs';

interface AsarDir {
  files: Record<string, AsarNode>;
}
interface AsarFile {
  size: number;
  offset?: string;
  unpacked?: boolean;
  link?: string;
}
type AsarNode = AsarDir | AsarFile;

export interface AsarEntry {
  /** Relative to the archive's root, with forward slashes: `out/main/index.js`. */
  path: string;
  dir: boolean;
  /** The file lives in app.asar.unpacked beside the archive. */
  unpacked: boolean;
  size: number;
}

/** The JSON header of an asar archive, and where the files' contents start. */
export function readAsarHeader(file: string): { header: AsarDir; dataStart: number } {
  const fd = openSync(file, 'r');
  try {
    const prefix = Buffer.alloc(16);
    readSync(fd, prefix, 0, 16, 0);
    if (prefix.readUInt32LE(0) !== 4) throw new Error(`${file} is not an asar archive`);
    const length = prefix.readUInt32LE(12);
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, 16);
    return {
      header: JSON.parse(json.toString('utf8')) as AsarDir,
      dataStart: 8 + prefix.readUInt32LE(4),
    };
  } finally {
    closeSync(fd);
  }
}

/** The contents of one packed (not unpacked) file of an asar archive. */
export function readAsarFile(file: string, path: string): Buffer {
  const { header, dataStart } = readAsarHeader(file);
  let node: AsarNode = header;
  for (const name of path.split('/')) {
    if (!('files' in node) || !node.files[name]) throw new Error(`${path} is not in ${file}`);
    node = node.files[name];
  }
  if ('files' in node || node.offset === undefined || node.unpacked)
    throw new Error(`${path} is not a packed file in ${file}`);
  const out = Buffer.alloc(node.size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, out, 0, node.size, dataStart + Number(node.offset));
  } finally {
    closeSync(fd);
  }
  return out;
}

/** Every file and folder in an asar archive, depth first. */
export function asarEntries(file: string): AsarEntry[] {
  const out: AsarEntry[] = [];
  const walk = (dir: AsarDir, prefix: string): void => {
    for (const [name, node] of Object.entries(dir.files)) {
      const path = prefix + name;
      if ('files' in node) {
        out.push({ path, dir: true, unpacked: false, size: 0 });
        walk(node, `${path}/`);
      } else out.push({ path, dir: false, unpacked: node.unpacked === true, size: node.size });
    }
  };
  walk(readAsarHeader(file).header, '');
  return out;
}
