/** An expression that cannot be parsed, type-checked or evaluated; names where when it can. */
export class ExprError extends Error {
  /** The problem alone, without where: an editor marks the place itself. */
  readonly reason: string;

  constructor(
    message: string,
    readonly expression: string,
    readonly position?: number,
  ) {
    super(
      position === undefined
        ? `${message} in "${expression}"`
        : `${message} at position ${position + 1} of "${expression}"`,
    );
    this.reason = message;
  }
}
