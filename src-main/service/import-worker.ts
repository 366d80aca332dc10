/**
 * `sluice import --run`'s import, on a thread of its own (import-thread.ts says why): importFiles
 * as the main thread would run it, its result handed back. A failure crosses as its kind, so
 * that the command says it as it would have on the main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { SourceError } from '../io/source-error';
import type { ImportResult } from './import';
import { ImportError } from './import-error';

export interface ImportJob {
  files: string[];
  into: string;
  force?: boolean;
}

export type ImportMessage =
  | { type: 'done'; result: ImportResult }
  | {
      type: 'failed';
      /** An ImportError, a SourceError (with its path), or anything else. */
      kind: 'import' | 'source' | 'other';
      message: string;
      path?: string;
      stack?: string;
    };

export async function serveImport(job: ImportJob, port: MessagePort): Promise<void> {
  let m: ImportMessage;
  try {
    const { importFiles } = await import('./import');
    m = { type: 'done', result: await importFiles(job.files, job.into, { force: job.force }) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    m = {
      type: 'failed',
      kind: e instanceof ImportError ? 'import' : e instanceof SourceError ? 'source' : 'other',
      message: err.message,
      path: e instanceof SourceError ? e.path : undefined,
      stack: err.stack,
    };
  }
  port.postMessage(m);
}

/** The error a failure message stands for, of the class it was thrown as. */
export function failureOf(m: Extract<ImportMessage, { type: 'failed' }>): Error {
  const e =
    m.kind === 'import'
      ? new ImportError(m.message)
      : m.kind === 'source'
        ? new SourceError('', m.path ?? '')
        : new Error(m.message);
  e.message = m.message;
  if (m.kind === 'other' && m.stack) e.stack = m.stack;
  return e;
}
