/** A source file that cannot be read as a whole; the message names the file first. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * The SourceError another thread reported as its message (which starts with the path) and path:
 * the same message, not the path twice.
 */
export function sourceErrorFrom(message: string, path: string): SourceError {
  const prefix = `${path}: `;
  return new SourceError(message.startsWith(prefix) ? message.slice(prefix.length) : message, path);
}
