/**
 * The project the desktop app starts with: the one given on the command line, else the last
 * one opened, else "My first project" in the user's documents (Documents/Sluice/My first
 * project), created on the first start. A project that cannot be opened (its folder deleted or
 * moved, its sluice.yaml broken) does not end the start: My first project opens instead, and
 * the caller tells the user which folder failed and why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../service/new-project';

export const FIRST_PROJECT = 'My first project';

/** Where My first project lives, under the user's documents folder. */
export function firstProjectDir(documents: string): string {
  return join(documents, 'Sluice', FIRST_PROJECT);
}

export interface StartProblem {
  /** The project folder that could not be opened. */
  dir: string;
  /** Why, for the message. */
  reason: string;
}

export interface StartProject<T> {
  opened: T;
  /** The project wanted that did not open (My first project opened instead), or null. */
  problem: StartProblem | null;
}

/**
 * Opens `wanted`, or My first project (creating it when it has no sluice.yaml) when there is no
 * project to open or `wanted` fails. Throws only when My first project fails too.
 * @example await openStartProject(lastProject(), app.getPath('documents'), (d) => SluiceService.open(d))
 */
export async function openStartProject<T>(
  wanted: string | undefined,
  documents: string,
  open: (dir: string) => Promise<T>,
): Promise<StartProject<T>> {
  let problem: StartProblem | null = null;
  if (wanted) {
    try {
      return { opened: await open(wanted), problem: null };
    } catch (e) {
      problem = { dir: wanted, reason: reasonOf(wanted, e) };
    }
  }
  const dir = firstProjectDir(documents);
  try {
    if (!existsSync(join(dir, 'sluice.yaml'))) createProject(dir);
    return { opened: await open(dir), problem };
  } catch (e) {
    if (!problem) throw e;
    throw new Error(
      `${problem.dir}: ${problem.reason}\nNor could ${FIRST_PROJECT} open instead: ${messageOf(e)}`,
      { cause: e },
    );
  }
}

function reasonOf(dir: string, e: unknown): string {
  if (!existsSync(dir)) return 'The folder does not exist any more (moved, renamed or deleted?).';
  return messageOf(e);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
