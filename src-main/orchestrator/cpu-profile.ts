/**
 * `sluice run --profile FILE`: a V8 CPU profile of each pipeline's task, taken in the worker
 * thread that runs it (through the thread's own inspector, so no flag or debugger port is
 * needed) and written as a .cpuprofile, which Chrome DevTools (Performance, "Load profile") and
 * VS Code open.
 */
import { Session } from 'node:inspector/promises';
import { basename, dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write';

/**
 * Where a pipeline's profile goes: `file` itself for a run of one pipeline; for a run of more,
 * `file` with the pipeline's name before its extension (prof.cpuprofile: prof.sales.cpuprofile).
 *
 * @example profilePath('/tmp/p.cpuprofile', 'sales', true) // '/tmp/p.sales.cpuprofile'
 */
export function profilePath(file: string, pipeline: string, many: boolean): string {
  if (!many) return file;
  const ext = extname(file) || '.cpuprofile';
  return join(dirname(file), `${basename(file, extname(file))}.${pipeline}${ext}`);
}

/**
 * Runs `f` under the CPU profiler of this thread and writes the profile to `file`. A profile
 * that cannot be taken or written goes to `onError`, never in the way of `f`'s result.
 */
export async function withCpuProfile<T>(
  file: string | undefined,
  f: () => Promise<T>,
  onError: (e: unknown) => void,
): Promise<T> {
  if (!file) return f();
  const session = new Session();
  let started = false;
  try {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    started = true;
  } catch (e) {
    onError(e);
  }
  try {
    return await f();
  } finally {
    try {
      if (started) {
        const { profile } = await session.post('Profiler.stop');
        writeFileAtomic(file, JSON.stringify(profile));
      }
    } catch (e) {
      onError(e);
    }
    session.disconnect();
  }
}
