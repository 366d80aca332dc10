/**
 * The one dispatcher both transports use: it looks the method up in the contract, validates
 * the parameters, calls the service, checks the result, and returns errors as values.
 */
import { z } from 'zod';
import {
  METHODS,
  type ApiError,
  type ApiResult,
  type MethodName,
} from '../../src-shared/api/contract';
import type { Handlers, RawBody } from '../service/context';
import { ApiFailure } from '../service/errors';

/** `body`: a request's bytes, streamed, for the methods that take a file (HTTP only). */
export type Dispatch = (
  method: string,
  payload: unknown,
  body?: RawBody,
) => Promise<ApiResult<unknown>>;

const isMethod = (m: string): m is MethodName => Object.hasOwn(METHODS, m);

/** zod issues as "path: message" lines. */
export function describeIssues(e: z.ZodError): string {
  return e.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(parameters)'}: ${i.message}`)
    .join('; ');
}

/** `handlers` may serve some methods only (a run store without a project): the others are unknown. */
export function createDispatcher(handlers: Partial<Handlers>): Dispatch {
  return async (method, payload, body) => {
    const fail = (
      code: ApiError['code'],
      message: string,
      details?: unknown,
    ): ApiResult<never> => ({
      ok: false,
      error: details === undefined ? { code, message } : { code, message, details },
    });
    if (typeof method !== 'string' || !isMethod(method) || !handlers[method])
      return fail(
        'unknown_method',
        `unknown method ${JSON.stringify(method)}; the methods are: ${Object.keys(METHODS).join(', ')}`,
      );
    const spec = METHODS[method];
    const params = spec.params.safeParse(payload ?? {});
    if (!params.success)
      return fail(
        'bad_request',
        `invalid parameters for ${method}: ${describeIssues(params.error)}`,
        {
          issues: params.error.issues.map((i) => ({ path: i.path, message: i.message })),
        },
      );
    try {
      const handler = handlers[method] as (p: unknown, body?: RawBody) => Promise<unknown>;
      const value = await handler(params.data, body);
      const checked = spec.result.safeParse(value);
      if (!checked.success)
        return fail(
          'internal',
          `the result of ${method} broke the contract: ${describeIssues(checked.error)}`,
        );
      return { ok: true, value: checked.data };
    } catch (e) {
      if (e instanceof ApiFailure) return fail(e.code, e.message, e.details);
      return fail('internal', `internal error in ${method}: ${(e as Error)?.message ?? String(e)}`);
    }
  };
}
