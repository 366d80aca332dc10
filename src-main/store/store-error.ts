/**
 * A run store that cannot be opened or used as asked (a newer schema, a missing run). Apart
 * from sqlite-store.ts so that the CLI can tell it from other errors without loading SQLite.
 */
export class StoreError extends Error {}
