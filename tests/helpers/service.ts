/** The service's methods for tests, called through the one dispatcher the transports use. */
import type { ApiResult, MethodName, Params, Result } from '../../src-shared/api/contract';
import type { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';

export type Call = <M extends MethodName>(m: M, p: Params<M>) => Promise<Result<M>>;

/** `call(method, params)` on `svc`: its result, or an error naming the method and what failed. */
export function caller(svc: SluiceService): Call {
  const dispatch = createDispatcher(svc.handlers);
  return async (m, p) => {
    const r = (await dispatch(m, p)) as ApiResult<Result<typeof m>>;
    if (!r.ok) throw new Error(`${m}: ${r.error.code}: ${r.error.message}`);
    return r.value;
  };
}
