// Module hooks that append every module a process (and each of its worker threads) resolves to
// the file LOAD_LOG names, one URL a line: what a process really loaded.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.LOAD_LOG) appendFileSync(process.env.LOAD_LOG, `${r.url}\n`);
  return r;
}
