/** The only surface the preload exposes to the renderer (window.sluice). */
import type { ApiResult } from './api/contract';

export type { ApiResult } from './api/contract';

export const INVOKE_CHANNEL = 'sluice:invoke';
export const EVENT_CHANNEL = 'sluice:event';
export const PICK_FOLDER_CHANNEL = 'sluice:pick-folder';
export const SAVE_FILE_CHANNEL = 'sluice:save-file';
export const SHOW_FILE_CHANNEL = 'sluice:show-file';

/** A file the window asks for: a run's report, or one output of a run. */
export type FileRequest =
  | { method: 'reports.download'; params: { run_id: string; format: string; pipeline?: string[] } }
  | {
      method: 'outputs.download';
      params: { run_id: string; pipeline: string; format: string; output?: number };
    };

/** An output of a run, named as outputs.list names it. */
export interface OutputRef {
  run_id: string;
  pipeline: string;
  output: number;
}

export interface SluiceBridge {
  invoke(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: unknown) => void): () => void;
  /**
   * The path on disk of a file dropped or picked in the window (Electron's webUtils), so the
   * engine reads it where it is. Not an IPC call: it reads a property of the File object.
   */
  pathForFile(file: File): string;
  /** The system's folder picker (desktop only): the chosen folder, or null when cancelled. */
  pickFolder(): Promise<string | null>;
  /**
   * Asks where to save a report or output (the system's save dialog), saves it there and,
   * with `open`, opens it with the OS's program for it. The saved path, or null when cancelled.
   */
  saveFile(request: FileRequest, open: boolean): Promise<ApiResult<string | null>>;
  /** Shows an output of a run in the OS's file manager. */
  showFile(output: OutputRef): Promise<ApiResult<null>>;
}
