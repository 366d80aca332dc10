/**
 * How CLI commands ask the service: through the same dispatcher as HTTP and IPC (parameters
 * checked, the result checked against the contract), so a command's `--json` is the method's
 * result. A failure becomes a usage error (exit 2), an internal one a failure (exit 1).
 *
 * The service is imported when a command first asks it, not when the CLI starts: `sluice
 * --version` and `--help` load commander and the command definitions, not the engine, the
 * drivers or zod.
 */
import { resolve } from 'node:path';
import type { MethodName, Params, Result } from '../../src-shared/api/contract';
import type { SluiceService } from '../service/api-service';
import type { Handlers, ServiceOptions } from '../service/context';
import type { FollowOptions } from '../service/follow-logs';
import type { LogRow } from '../store/store';
import { UsageError } from './common';

/** A service as the CLI holds it: some methods, its logs to follow, and closing. */
export interface CliService {
  handlers: Partial<Handlers>;
  followLogs(
    runId: string,
    o: FollowOptions,
    onLine: (l: LogRow) => void,
  ): Promise<{ done: Promise<string | null> }>;
  close(): Promise<void>;
}

/** Calls `method` with `params`; the result, or a thrown UsageError or Error. */
export async function ask<M extends MethodName>(
  svc: Pick<CliService, 'handlers'>,
  method: M,
  params: Params<M>,
): Promise<Result<M>> {
  const { createDispatcher } = await import('../transports/dispatcher');
  const r = await createDispatcher(svc.handlers)(method, params);
  if (r.ok) return r.value as Result<M>;
  if (r.error.code === 'internal') throw new Error(r.error.message);
  throw new UsageError(r.error.message);
}

/** The service options a command's --store, --data and --allow-path give. */
export const serviceOptions = (o: {
  store?: string;
  data?: string;
  allowPath?: string[];
}): ServiceOptions => ({ storePath: o.store, dataDir: o.data, allow: o.allowPath });

/** Opens the project in `dir` for the CLI (closed with close()). */
export async function projectService(dir: string, opts: ServiceOptions): Promise<SluiceService> {
  const { SluiceService } = await import('../service/api-service');
  return SluiceService.open(dir, opts);
}

/**
 * The service the store commands ask: with `--project`, the project's (its runs, in the store
 * its sluice.yaml names unless `--store` says otherwise), the same one HTTP serves; else the
 * store alone (`--store`, default the user's), every run in it.
 */
export async function storeService(o: {
  project?: string;
  store?: string;
  data?: string;
  allowPath?: string[];
}): Promise<CliService> {
  const folders = { data: o.data ? resolve(o.data) : undefined, allow: o.allowPath };
  if (o.project) return projectService(o.project, serviceOptions({ ...o, data: folders.data }));
  const [{ StoreService }, { defaultStorePath }] = await Promise.all([
    import('../service/store-records'),
    import('../store/paths'),
  ]);
  const store = new StoreService(o.store ? resolve(o.store) : defaultStorePath(), folders);
  return {
    handlers: store.handlers,
    followLogs: store.followLogs.bind(store),
    close: async () => {},
  };
}

/** Runs `f` with `svc`, then closes it. */
export async function using<S extends { close(): Promise<void> }, T>(
  svc: S,
  f: (svc: S) => Promise<T>,
): Promise<T> {
  try {
    return await f(svc);
  } finally {
    await svc.close();
  }
}

export const printJson = (x: unknown): void =>
  void process.stdout.write(JSON.stringify(x, null, 2) + '\n');
