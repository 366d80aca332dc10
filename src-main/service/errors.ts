/** Failures the service reports as API error values, and recipe errors turned into them. */
import type { ApiErrorCode } from '../../src-shared/api/contract';
import { ConfigError } from '../io/recipe-load';
import { SavedConnectionsError } from '../io/saved-connections';
import { RunRequestError } from '../orchestrator/run-date';
import { CredentialError } from '../store/credentials';
import { StoreError } from '../store/store-error';

/** A failure with an API error code: the dispatcher turns it into an error value. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Handlers whose recipe, request, credential and store errors become failures that say why. */
export function withRequestErrors<H extends object>(raw: H): H {
  const out: Record<string, (p: never, body?: never) => Promise<unknown>> = {};
  for (const [name, h] of Object.entries(raw))
    out[name] = async (p: never, body?: never) => {
      try {
        return await (h as (p: never, body?: never) => Promise<unknown>)(p, body);
      } catch (e) {
        if (e instanceof ConfigError)
          throw new ApiFailure('bad_request', `invalid configuration: ${e.message}`);
        if (e instanceof RunRequestError) throw new ApiFailure('bad_request', e.message);
        // A kept password that cannot be read, a connections.json that cannot: the user's to fix.
        if (e instanceof CredentialError || e instanceof SavedConnectionsError)
          throw new ApiFailure('conflict', e.message);
        // A run store that cannot be opened (locked, damaged, from a newer Sluice): the message
        // says which and what to do; no bug of ours.
        if (e instanceof StoreError) throw new ApiFailure('unavailable', e.message);
        throw e;
      }
    };
  return out as H;
}
