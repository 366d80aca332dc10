/**
 * The local HTTP server: the contract's routes (JSON in, JSON out), Server-Sent Events, the
 * OpenAPI document and docs page, and the built renderer. Every /api route and the OpenAPI
 * document need the API key in X-API-Key; requests whose Host is not a loopback name are
 * refused unless allowed, so a web page elsewhere cannot reach the server by DNS rebinding.
 */
import { createReadStream, existsSync, rm, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  HTTP_STATUS,
  METHODS,
  STREAMS,
  type ApiError,
  type ApiEvent,
  type FileResult as FileResultSchema,
  type LogLine as LogLineSchema,
  type MethodName,
} from '../../src-shared/api/contract';
import type { z } from 'zod';
import { keyMatches } from '../service/api-key';
import { UI_CSP_HEADER } from './csp';
import { describeIssues, type Dispatch } from './dispatcher';
import { docsPage, openApiDocument } from './openapi';

type LogLine = z.infer<typeof LogLineSchema>;
type FileResult = z.infer<typeof FileResultSchema>;
const FOLLOW = /^\/api\/runs\/([^/]+)\/logs\/follow$/;

export interface HttpOptions {
  dispatch: Dispatch;
  subscribe(listener: (e: ApiEvent) => void): () => void;
  /** Follows a run's log (logs.follow); rejects before any line for a run it does not know. */
  followLogs?(
    runId: string,
    o: { pipeline?: string; tail?: number; signal: AbortSignal },
    onLine: (l: LogLine) => void,
  ): Promise<{ done: Promise<string | null> }>;
  apiKey: string;
  /** Host names accepted besides localhost, 127.0.0.1 and ::1. */
  allowedHosts?: string[];
  /** Take requests from other computers (`sluice serve --expose`); otherwise loopback only. */
  remoteClients?: boolean;
  /** The built renderer, served at / (index.html for any other path outside /api). */
  staticDir?: string;
  maxBodyBytes?: number;
}

interface Route {
  method: MethodName;
  verb: string;
  pattern: RegExp;
  keys: string[];
}

const ROUTES: Route[] = (Object.keys(METHODS) as MethodName[]).map((method) => {
  const { verb, path } = METHODS[method].http;
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' +
      path.replace(/\{(\w+)\}/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      }) +
      '$',
  );
  return { method, verb, pattern, keys };
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

class HttpFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

/** Whether a socket's remote address is this computer (IPv4, IPv6, or IPv4 mapped to IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function hostName(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0].toLowerCase();
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new HttpFailure('too_large', `the request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpFailure(
      'bad_request',
      `the request body is not valid JSON: ${(e as Error).message}`,
    );
  }
}

/**
 * A method's file as the response: its type, its name for saving (ASCII and UTF-8 forms), its
 * length; a temporary file is deleted once sent or when the client goes away.
 */
function sendFile(res: ServerResponse, f: FileResult): void {
  const ascii = f.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': f.content_type,
    'Content-Length': f.bytes,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  const stream = createReadStream(f.path);
  const done = (): void => {
    if (f.temporary) rm(f.path, { force: true }, () => undefined);
  };
  stream.on('error', () => res.destroy());
  res.on('close', () => {
    stream.destroy();
    done();
  });
  stream.pipe(res);
}

export function createHttpHandler(
  opts: HttpOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = opts.maxBodyBytes ?? 1 << 20;
  const allowed = new Set([...LOOPBACK, ...(opts.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  const openapi = JSON.stringify(openApiDocument(), null, 2);

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    t0: number,
    close = false,
  ): void => {
    const text = JSON.stringify(body);
    // The window asks for errors as a 200 with the error in the body and its code in a header:
    // a refusal it expects and shows (a clash, a preview a newer one replaced) is then not
    // logged by the browser as a failed load. Every other client gets the matching status.
    const quiet = status >= 400 && res.req?.headers['x-sluice-errors'] === 'body';
    res.writeHead(quiet ? 200 : status, {
      ...(quiet ? { 'X-Sluice-Error': String((body as { error: ApiError }).error.code) } : {}),
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Server-Timing': `app;dur=${(performance.now() - t0).toFixed(1)}`,
      ...(close ? { Connection: 'close' } : {}),
    });
    // A body cut off unread leaves the connection unusable: answer, then close it.
    if (close) res.on('finish', () => res.socket?.destroy());
    res.end(text + '\n'); // a line of its own on a terminal
  };
  const fail = (res: ServerResponse, code: ApiError['code'], message: string, t0: number): void =>
    send(res, HTTP_STATUS[code], { error: { code, message } }, t0, code === 'too_large');

  const serveStatic = (res: ServerResponse, path: string, t0: number): void => {
    const root = opts.staticDir ? resolve(opts.staticDir) : null;
    if (!root || !existsSync(join(root, 'index.html')))
      return fail(
        res,
        'not_found',
        `no such route: ${path} (the UI is not built: npm run build)`,
        t0,
      );
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return fail(res, 'bad_request', 'the path is not valid URL encoding', t0);
    }
    let file = resolve(root, '.' + decoded);
    if (file !== root && !file.startsWith(root + sep))
      return fail(res, 'forbidden', 'outside the UI folder', t0);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': UI_CSP_HEADER,
      'Server-Timing': `app;dur=${(performance.now() - t0).toFixed(1)}`,
    });
    createReadStream(file).pipe(res);
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = opts.subscribe((e) =>
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    );
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      unsubscribe();
    });
  };

  const followLog = async (
    req: IncomingMessage,
    res: ServerResponse,
    runId: string,
    url: URL,
    t0: number,
  ): Promise<void> => {
    const parsed = STREAMS['logs.follow'].params.safeParse({
      ...Object.fromEntries(url.searchParams),
      run_id: runId,
    });
    if (!parsed.success)
      throw new HttpFailure(
        'bad_request',
        `invalid parameters for logs.follow: ${describeIssues(parsed.error)}`,
      );
    if (!opts.followLogs) throw new HttpFailure('not_found', 'this server does not follow logs');
    const stop = new AbortController();
    // The response's close: the client went away (the request's close comes once it is read).
    res.on('close', () => stop.abort());
    const write = (event: string, data: unknown): void => {
      if (!res.headersSent)
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          'Server-Timing': `app;dur=${(performance.now() - t0).toFixed(1)}`,
        });
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const { pipeline, tail } = parsed.data;
    const { done } = await opts.followLogs(
      parsed.data.run_id,
      { pipeline, tail, signal: stop.signal },
      (l) => write('log', l),
    );
    if (!res.headersSent) write('open', { run_id: runId });
    const status = await done;
    if (!stop.signal.aborted) write('end', { run_id: runId, status });
    res.end();
  };

  return (req, res) => {
    const t0 = performance.now();
    void (async () => {
      // A Host header is the client's to write: the address it connects from is checked too.
      if (!opts.remoteClients && !isLoopbackAddress(req.socket.remoteAddress))
        return fail(
          res,
          'forbidden',
          `requests from ${req.socket.remoteAddress} are refused: this server takes requests from this computer only`,
          t0,
        );
      const host = hostName(req.headers.host);
      if (!allowed.has(host))
        return fail(
          res,
          'forbidden',
          `requests for host "${host}" are refused (only loopback names unless allowed)`,
          t0,
        );
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path === '/health' && req.method === 'GET') {
        const r = await opts.dispatch('health', {});
        return r.ok ? send(res, 200, r.value, t0) : fail(res, r.error.code, r.error.message, t0);
      }
      const needsKey = path.startsWith('/api/') || path === '/api' || path === '/openapi.json';
      if (!needsKey) {
        if (req.method !== 'GET')
          return fail(res, 'not_found', `no such route: ${req.method} ${path}`, t0);
        if (path === '/docs') {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          return res.end(docsPage());
        }
        return serveStatic(res, path, t0);
      }
      const presented = req.headers['x-api-key'];
      if (!keyMatches(Array.isArray(presented) ? presented[0] : presented, opts.apiKey))
        return fail(res, 'unauthorized', 'a valid API key is needed in the X-API-Key header', t0);
      if (path === '/openapi.json') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end(openapi);
      }
      if (path === STREAMS.events.path && req.method === 'GET') return events(req, res);
      const follow = FOLLOW.exec(path);
      if (follow && req.method === 'GET') return await followLog(req, res, follow[1], url, t0);
      for (const r of ROUTES) {
        const m = r.pattern.exec(path);
        if (!m) continue;
        if (req.method !== r.verb) continue;
        // No prototype: a body key __proto__ is data, not the object's prototype.
        const params = Object.create(null) as Record<string, unknown>;
        const raw = METHODS[r.method].http.body === 'raw';
        if (r.verb === 'GET' || raw)
          for (const [k, v] of url.searchParams) {
            // A repeated key (?pipeline=a&pipeline=b) is a list.
            const had = params[k];
            params[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
          }
        else {
          const body = await readBody(req, limit);
          if (body === null || typeof body !== 'object' || Array.isArray(body))
            throw new HttpFailure('bad_request', 'the request body must be a JSON object');
          Object.assign(params, body);
        }
        r.keys.forEach((k, i) => {
          try {
            params[k] = decodeURIComponent(m[i + 1]);
          } catch {
            throw new HttpFailure('bad_request', `the ${k} in the path is not valid URL encoding`);
          }
        });
        const result = await opts.dispatch(r.method, params, raw ? req : undefined);
        if (result.ok && METHODS[r.method].http.response === 'file')
          return sendFile(res, result.value as FileResult);
        if (result.ok) return send(res, 200, result.value, t0);
        // A refused upload may not have been read: close rather than drain it.
        const unread = raw && !req.readableEnded;
        return send(res, HTTP_STATUS[result.error.code], { error: result.error }, t0, unread);
      }
      return fail(res, 'not_found', `no such route: ${req.method} ${path}`, t0);
    })().catch((e: unknown) => {
      if (res.headersSent) return res.end();
      if (e instanceof HttpFailure) return fail(res, e.code, e.message, t0);
      // A service failure (not_found for a run of another project, say) carries its code.
      const code = (e as { code?: unknown })?.code;
      if (typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code))
        return fail(res, code as ApiError['code'], (e as Error).message, t0);
      return fail(res, 'internal', `internal error: ${(e as Error)?.message ?? String(e)}`, t0);
    });
  };
}
