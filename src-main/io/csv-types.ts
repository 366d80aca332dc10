/** What reading a CSV file tells about it, apart from the reader (so its parts can share it). */
import type { Compression } from './chunks';
import type { TextEncoding } from './encoding';
import type { Delimiter } from './sniff';

export interface SourceInfo {
  path: string;
  encoding: TextEncoding;
  encodingReason: string;
  delimiter: Delimiter;
  newline: '\n' | '\r\n' | '\r';
  header: boolean;
  columns: string[];
  /** Size of the file itself (compressed, for gzip). */
  bytes: number;
  /** Set when the file is compressed (recognised by its first bytes, not its name). */
  compression: Compression | null;
  /** Invalid byte sequences found in the file; when 0, a U+FFFD in the text is real data. */
  invalidBytes: number;
  /** What a person should know about how the file was read (renamed header names). */
  warnings: string[];
}

export interface ReadReject {
  line: number;
  lineEnd: number;
  raw: string;
  rule: 'ragged_row' | 'broken_quotes' | 'undecodable_bytes' | 'record_too_long';
  reason: string;
}

export interface ReadStats {
  rowsRead: number;
  rowsRejected: number;
  blankLines: number;
  bytesRead: number;
}
