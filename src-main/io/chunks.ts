/**
 * Reads a source file's bytes in chunks. Plain files go through one reused buffer: a read
 * stream allocates a new Buffer per chunk, which on a large file is a file's worth of garbage
 * per pass and shows up as peak memory. The yielded view is only valid until the next chunk is
 * requested.
 *
 * Compressed files are recognised by their first bytes, whatever their name: gzip is
 * decompressed on the fly (every pass sees the text bytes), other formats are refused with a
 * SourceError that says what to do.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SourceError } from './source-error';

export type Compression = 'gzip';

/** What a file looked like when reading began; a read that sees it differ fails. */
export interface SourceStamp {
  size: number;
  mtimeMs: number;
}

export interface ChunkOptions {
  /** Skip this many bytes of the (decompressed) content first. */
  start?: number;
  /** Chunk size in bytes for plain files. */
  size?: number;
  /** Fail when the file's size or modification time differs from this, checked per chunk and at the end. */
  stamp?: SourceStamp;
  /** Told how many bytes of the file itself (compressed bytes, for gzip) have been read so far. */
  onFileBytes?: (n: number) => void;
}

const REFUSED: { magic: number[]; name: string; todo: string }[] = [
  {
    magic: [0x50, 0x4b, 0x03, 0x04],
    name: 'a zip archive',
    todo: 'unzip it and point the recipe at the CSV file inside',
  },
  {
    magic: [0x50, 0x4b, 0x05, 0x06],
    name: 'an (empty) zip archive',
    todo: 'unzip it and point the recipe at the CSV file inside',
  },
  {
    magic: [0x42, 0x5a, 0x68],
    name: 'bzip2-compressed',
    todo: 'decompress it first (bunzip2 -k FILE) or recompress it with gzip, which Sluice reads directly',
  },
  {
    magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
    name: 'xz-compressed',
    todo: 'decompress it first (unxz -k FILE) or recompress it with gzip, which Sluice reads directly',
  },
  {
    magic: [0x28, 0xb5, 0x2f, 0xfd],
    name: 'zstd-compressed',
    todo: 'decompress it first (unzstd FILE) or recompress it with gzip, which Sluice reads directly',
  },
  {
    magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
    name: 'a 7-Zip archive',
    todo: 'extract it and point the recipe at the CSV file inside',
  },
];

/** Names the compression of a file from its first bytes; throws for formats Sluice does not read. */
export function compressionOf(head: Uint8Array, path: string): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  for (const f of REFUSED)
    if (head.length >= f.magic.length && f.magic.every((b, i) => head[i] === b))
      throw new SourceError(`is ${f.name}, not a CSV file: ${f.todo}`, path);
  return null;
}

export async function* readChunks(path: string, opts: ChunkOptions = {}): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await fh.read(head, 0, 6, 0);
    if (compressionOf(head.subarray(0, bytesRead), path) === 'gzip')
      yield* gunzipChunks(fh, path, opts);
    else yield* plainChunks(fh, path, opts);
  } finally {
    await fh.close();
  }
}

async function* plainChunks(
  fh: FileHandle,
  path: string,
  opts: ChunkOptions,
): AsyncGenerator<Buffer> {
  const size = opts.size ?? 1 << 20;
  const buf = Buffer.allocUnsafe(size);
  let pos = opts.start ?? 0;
  while (true) {
    const { bytesRead } = await fh.read(buf, 0, size, pos);
    pos += bytesRead;
    if (opts.stamp) await checkStamp(fh, path, opts.stamp, bytesRead === 0 ? pos : -1);
    opts.onFileBytes?.(pos);
    if (bytesRead === 0) return;
    yield buf.subarray(0, bytesRead);
  }
}

async function* gunzipChunks(
  fh: FileHandle,
  path: string,
  opts: ChunkOptions,
): AsyncGenerator<Buffer> {
  // zlib may still hold a chunk after it is handed over, so each read gets its own buffer.
  async function* compressed(): AsyncGenerator<Buffer> {
    let pos = 0;
    while (true) {
      const buf = Buffer.allocUnsafe(1 << 18);
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      pos += bytesRead;
      if (opts.stamp) await checkStamp(fh, path, opts.stamp, bytesRead === 0 ? pos : -1);
      opts.onFileBytes?.(pos);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  }
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  const feeding = pipeline(Readable.from(compressed(), { objectMode: false }), gunzip);
  feeding.catch(() => undefined); // awaited below; this only keeps it from being unhandled
  let skip = opts.start ?? 0;
  try {
    for await (const out of gunzip as AsyncIterable<Buffer>) {
      let chunk = out;
      if (skip > 0) {
        const cut = Math.min(skip, chunk.length);
        skip -= cut;
        chunk = chunk.subarray(cut);
        if (chunk.length === 0) continue;
      }
      yield chunk;
    }
    await feeding;
  } catch (e) {
    // The reason is the pipeline's: a failed read or a changed file, or zlib's complaint.
    const fed = await feeding.then(
      () => null,
      (x: unknown) => x,
    );
    const cause = fed instanceof SourceError ? fed : e instanceof SourceError ? e : (fed ?? e);
    if (cause instanceof SourceError) throw cause;
    throw new SourceError(
      `the gzip data is damaged or cut short (${(cause as Error).message}); check the file or compress it again`,
      path,
    );
  } finally {
    gunzip.destroy();
    await feeding.catch(() => undefined);
  }
}

/**
 * Compares the open file with its stamp. `endPos` is where the read reached end of file, or
 * -1 mid-file: at the end, a size that differs from where reading stopped means the file changed.
 */
async function checkStamp(
  fh: FileHandle,
  path: string,
  stamp: SourceStamp,
  endPos: number,
): Promise<void> {
  const now = await fh.stat();
  const changes: string[] = [];
  if (now.size !== stamp.size)
    changes.push(`its size went from ${fmt(stamp.size)} bytes to ${fmt(now.size)} bytes`);
  else if (endPos >= 0 && endPos !== stamp.size)
    changes.push(`it ended after ${fmt(endPos)} bytes instead of ${fmt(stamp.size)} bytes`);
  if (now.mtimeMs !== stamp.mtimeMs)
    changes.push(
      `it was modified at ${new Date(now.mtimeMs).toISOString()} (it was last modified at ${new Date(stamp.mtimeMs).toISOString()} when reading began)`,
    );
  if (changes.length) throw new SourceChanged(changes.join(', and '), path);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The file changed under the reader; the rows read from it so far are not its whole content. */
export class SourceChanged extends SourceError {
  constructor(
    readonly what: string,
    path: string,
  ) {
    super(
      `the file changed while it was being read: ${what}. The rows read so far are not the whole file; read it again once nothing is writing to it`,
      path,
    );
  }
}
