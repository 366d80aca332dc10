/** The only surface the preload exposes to the renderer (window.sluice). */
import type { ApiResult } from './api/contract';

export type { ApiResult } from './api/contract';

export const INVOKE_CHANNEL = 'sluice:invoke';
export const EVENT_CHANNEL = 'sluice:event';
export const PICK_FOLDER_CHANNEL = 'sluice:pick-folder';

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
}
