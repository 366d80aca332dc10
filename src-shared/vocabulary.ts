/**
 * The words Sluice's layers share: delimiters, text encodings, run, task and log statuses. Each
 * list is written once here, as a const array; its zod enum and TypeScript type derive from it,
 * so the store, the contract, the readers, the CLI and the window cannot drift apart. (The run
 * statuses and the delimiters are listed in run-statuses.ts and delimiters.ts, which load
 * without zod, and re-exported here.)
 */
import { z } from 'zod';
import { RUN_OUTCOMES, RUN_STATUSES } from './run-statuses';
import { DELIMITERS } from './delimiters';

export { DELIMITERS, RUN_OUTCOMES, RUN_STATUSES };

export const Delimiter = z.enum(DELIMITERS);
export type Delimiter = z.infer<typeof Delimiter>;

/** What a person calls each delimiter (the import panel's choices). */
export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

/** The encodings a file is decoded as, and so the ones detection can answer. */
export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export const TextEncoding = z.enum(TEXT_ENCODINGS);
export type TextEncoding = z.infer<typeof TextEncoding>;

/** The encodings a recipe or an import may name: latin1 is read as windows-1252, its superset. */
export const ENCODINGS = [...TEXT_ENCODINGS, 'latin1'] as const;
export const Encoding = z.enum(ENCODINGS);
export type Encoding = z.infer<typeof Encoding>;

/** A recipe's encoding setting: one of ENCODINGS, or `auto` to detect it. */
export const ENCODING_SETTINGS = ['auto', ...ENCODINGS] as const;
export const EncodingSetting = z.enum(ENCODING_SETTINGS);
export type EncodingSetting = z.infer<typeof EncodingSetting>;

/** How a finished run ended, as its report records (the list: run-statuses.ts). */
export const RunOutcome = z.enum(RUN_OUTCOMES);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** A run's status in the store and the API (the list, with what each means: run-statuses.ts). */
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * How a pipeline ends within a run, as its report records: a run's outcomes, or upstream_failed
 * (not run because a pipeline it depends on did not succeed), or skipped (marked by hand).
 */
export const PIPELINE_OUTCOMES = [...RUN_OUTCOMES, 'upstream_failed', 'skipped'] as const;
export const PipelineOutcome = z.enum(PIPELINE_OUTCOMES);
export type PipelineOutcome = z.infer<typeof PipelineOutcome>;

/** A task's status (one pipeline of a run) in the store and the API: a run's, or a pipeline's outcome. */
export const TASK_STATUSES = [...RUN_STATUSES, 'upstream_failed', 'skipped'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** The levels of a run's log lines, from the least to the most severe (filters rely on the order). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;
