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
  // A list repeats its key (?pipeline=a&pipeline=b), as the server reads it.
  const query = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x] as const))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { verb, path: query ? `${filled}?${query}` : filled };
}

/**
 * `content`: the file a raw-body method (files.upload) sends, as the request body. `signal`
 * aborts the request (the fetch then rejects with an AbortError).
 */
export async function callOverHttp(
  baseUrl: string,
  apiKey: string,
  method: MethodName,
  params: Record<string, unknown> = {},
  content?: Blob | string,
  signal?: AbortSignal,
): Promise<ApiResult<unknown>> {
  const req = httpRequestOf(method, params);
  const res = await fetch(baseUrl + req.path, {
    method: req.verb,
    headers: {
      'X-API-Key': apiKey,
      // Errors as values in a 200 (X-Sluice-Error names the code): no failed load in a console.
      'X-Sluice-Errors': 'body',
      ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(content !== undefined ? { 'Content-Type': 'application/octet-stream' } : {}),
    },
    body: content ?? req.body,
    signal,
  });
  const body = (await res.json()) as unknown;
  if (res.ok && !res.headers.has('X-Sluice-Error')) return { ok: true, value: body };
  return { ok: false, error: (body as { error: ApiError }).error };
}

/** A file a `response: 'file'` method sent: its bytes, type and the name it suggests. */
export interface FetchedFile {
  blob: Blob;
  filename: string;
  type: string;
}

/** The name in a Content-Disposition header (the UTF-8 form when there is one). */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? fallback;
}

/** Calls a method whose answer is a file (reports.download, outputs.download) over HTTP. */
export async function fileOverHttp(
  baseUrl: string,
  apiKey: string,
  method: MethodName,
  params: Record<string, unknown> = {},
): Promise<ApiResult<FetchedFile>> {
  const req = httpRequestOf(method, params);
  const res = await fetch(baseUrl + req.path, {
    method: req.verb,
    headers: { 'X-API-Key': apiKey, 'X-Sluice-Errors': 'body' },
  });
  if (!res.ok || res.headers.has('X-Sluice-Error'))
    return { ok: false, error: ((await res.json()) as { error: ApiError }).error };
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  return {
    ok: true,
    value: {
      blob: new Blob([await res.arrayBuffer()], { type }),
      filename: dispositionName(res.headers.get('content-disposition'), method),
      type,
    },
  };
}
