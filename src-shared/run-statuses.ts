/**
 * The run statuses as plain lists, without zod: vocabulary.ts builds their enums from these and
 * re-exports them, and the CLI names them in `sluice runs --help`, which loads no zod (a quick
 * `sluice --help`).
 */

/** How a finished run ended, as its report records. */
export const RUN_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * A run's status in the store and the API. interrupted: its process died (killed, crashed,
 * power lost) before the run could finish.
 */
export const RUN_STATUSES = ['running', ...RUN_OUTCOMES, 'interrupted'] as const;
