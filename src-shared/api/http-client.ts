/**
 * Calls a contract method over the local HTTP server: the method's route, its path
 * parameters filled in, the rest as the query (GET, and PUT of a file) or a JSON body (POST). Used by the
 * renderer in a browser and by tests; answers the same ApiResult values IPC does.
 */
import { METHODS, type ApiError, type ApiResult, type MethodName } from './contract';

/** The URL path and body of a call, from the method's route and its parameters. */
export function httpRequestOf(
  method: MethodName,
  params: Record<string, unknown> = {},
): { verb: 'GET' | 'POST' | 'PUT'; path: string; body?: string } {
  const { verb, path } = METHODS[method].http;
  const rest: Record<string, unknown> = { ...params };
  const filled = path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = rest[k];
    delete rest[k];
    return encodeURIComponent(String(v ?? ''));
  });
  if (verb === 'POST') return { verb, path: filled, body: JSON.stringify(rest) };
  const query = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { verb, path: query ? `${filled}?${query}` : filled };
}

/** `content`: the file a raw-body method (files.upload) sends, as the request body. */
export async function callOverHttp(
  baseUrl: string,
  apiKey: string,
  method: MethodName,
  params: Record<string, unknown> = {},
  content?: Blob | string,
): Promise<ApiResult<unknown>> {
  const req = httpRequestOf(method, params);
  const res = await fetch(baseUrl + req.path, {
    method: req.verb,
    headers: {
      'X-API-Key': apiKey,
      ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(content !== undefined ? { 'Content-Type': 'application/octet-stream' } : {}),
    },
    body: content ?? req.body,
  });
  const body = (await res.json()) as unknown;
  if (res.ok) return { ok: true, value: body };
  return { ok: false, error: (body as { error: ApiError }).error };
}
