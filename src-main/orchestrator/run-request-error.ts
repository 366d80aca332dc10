/**
 * A run request that cannot be carried out as asked (bad date, unknown run to resume...). Apart
 * from run-date.ts so that the CLI can tell it from other errors without loading the recipes.
 */
export class RunRequestError extends Error {}
