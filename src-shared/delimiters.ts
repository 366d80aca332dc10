/**
 * The field delimiters Sluice reads (and sniffs, in this order of preference) and writes; their
 * zod enum is vocabulary.ts's Delimiter. Apart from it so that the reader (on a run's threads)
 * does not load zod.
 */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
