/**
 * Reads PostgreSQL's binary COPY stream of one-column rows: a header (signature, flags, an
 * extension area), then per row a 16-bit field count and each field as a 32-bit length and its
 * bytes; a count of -1 ends it. Each row's single field goes to `onCell` as raw bytes.
 */
import type { Readable } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Calls `onCell` with each row's one field; returns the rows read. */
export async function copyBinaryCells(
  stream: Readable,
  onCell: (cell: Buffer) => void,
): Promise<number> {
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let rows = 0;
  let ended = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    if (!headerDone) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const ext = buf.readUInt32BE(15);
      if (buf.length < 19 + ext) {
        pending = buf;
        continue;
      }
      at = 19 + ext;
      headerDone = true;
    }
    while (!ended && buf.length - at >= 2) {
      const n = buf.readInt16BE(at);
      if (n === -1) {
        ended = true;
        at += 2;
        break;
      }
      if (n !== 1) throw new Error(`a COPY row of ${n} fields, not 1`);
      if (buf.length - at < 6) break;
      const len = buf.readInt32BE(at + 2);
      const size = len < 0 ? 0 : len;
      if (buf.length - at < 6 + size) break;
      onCell(len < 0 ? Buffer.alloc(0) : buf.subarray(at + 6, at + 6 + size));
      rows++;
      at += 6 + size;
    }
    pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
  }
  if (!ended) throw new Error('the COPY stream ended early');
  return rows;
}
