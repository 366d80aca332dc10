/**
 * Reads a file in chunks through one reused buffer. A read stream allocates a new Buffer per
 * chunk; on a large file that is a file's worth of garbage per pass, which shows up as peak
 * memory. The yielded view is only valid until the next chunk is requested.
 */
import { open } from 'node:fs/promises';

export async function* readChunks(path: string, start = 0, size = 1 << 20): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(size);
  try {
    let pos = start;
    while (true) {
      const { bytesRead } = await fh.read(buf, 0, size, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
