/** The only surface the preload exposes to the renderer (window.sluice). */
export const INVOKE_CHANNEL = 'sluice:invoke';
export const EVENT_CHANNEL = 'sluice:event';

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

export interface SluiceBridge {
  invoke(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: unknown) => void): () => void;
}
