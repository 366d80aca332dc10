/**
 * Gives each of libuv's pool threads its malloc arena before `sluice import --run`'s profile
 * threads end (profile-thread.ts).
 *
 * glibc gives a thread its arena at the thread's first malloc, and takes the arena of a thread
 * that has ended first: so the profile's arenas, which keep the pages the profile freed (63 and
 * 29 MB at 10M rows), went to whichever threads called malloc first after the profile. Those
 * were libuv's pool threads, whose first malloc is a directory read when the run loads the
 * project; the run's own threads then made new arenas beside them (gdb showed which thread held
 * which), and the run's part of a 10M `import --run` held 295-303 MB against 255-266 for `sluice
 * run` alone. With every pool thread holding an arena of its own before the profile ends, the
 * run's threads take the profile's arenas and fill the pages it left: 279-287 MB.
 *
 * Each pool thread gets one job that allocates and takes a few milliseconds (scrypt over 1 MB),
 * so that the jobs spread over the threads rather than one thread taking them all. Should one
 * thread miss out, nothing is wrong but the memory.
 */
import { scrypt } from 'node:crypto';

/** libuv's pool size: UV_THREADPOOL_SIZE, else 4 (its default). */
function poolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

/** Settles once each pool thread has (most likely) run a job that called malloc. */
export function attachPoolArenas(): Promise<void> {
  const jobs = Array.from(
    { length: poolSize() },
    () =>
      // 128 * N * r bytes: 1 MB, a few ms of work.
      new Promise<void>((resolve) => scrypt('', '', 16, { N: 1024, r: 8 }, () => resolve())),
  );
  return Promise.all(jobs).then(() => undefined);
}
