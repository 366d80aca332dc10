/** A source file that cannot be read as a whole; the message names the file first. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}
