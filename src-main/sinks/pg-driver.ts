/**
 * The PostgreSQL driver (pg, pg-copy-streams), loaded when a connection is first made. Every
 * process and worker thread that imported it paid for it at start, run or not: compiling it,
 * and Node's fetch stack, which pg's check for the Cloudflare runtime wakes. Most runs never
 * connect to PostgreSQL.
 */
import type pg from 'pg';

export type Pg = typeof pg;

/** The pg module. */
export async function loadPg(): Promise<Pg> {
  return (await import('pg')).default;
}

/** pg-copy-streams' COPY FROM and COPY TO. */
export async function loadCopyStreams(): Promise<typeof import('pg-copy-streams')> {
  return import('pg-copy-streams');
}
