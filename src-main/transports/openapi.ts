/** The OpenAPI 3 document of the HTTP routes, generated from the contract's zod schemas. */
import { z } from 'zod';
import { METHODS, STREAMS, type MethodName } from '../../src-shared/api/contract';
import { VERSION } from '../../src-shared/version';

const schemaOf = (s: z.ZodType): unknown =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(METHODS) as MethodName[]) {
    const spec = METHODS[name];
    const { verb, path } = spec.http;
    const pathKeys = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const shape = spec.params.shape as Record<string, z.ZodType>;
    const parameters = [
      ...pathKeys.map((k) => ({ name: k, in: 'path', required: true, schema: schemaOf(shape[k]) })),
      ...(verb === 'GET' || spec.http.body === 'raw'
        ? Object.entries(shape)
            .filter(([k]) => !pathKeys.includes(k))
            .map(([k, s]) => ({
              name: k,
              in: 'query',
              required: !s.safeParse(undefined).success,
              schema: schemaOf(s),
            }))
        : []),
    ];
    const bodyShape = Object.fromEntries(
      Object.entries(shape).filter(([k]) => !pathKeys.includes(k)),
    );
    paths[path] = {
      ...paths[path],
      [verb.toLowerCase()]: {
        operationId: name,
        summary: spec.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(spec.http.body === 'raw'
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
                },
              },
            }
          : verb === 'POST'
            ? {
                requestBody: {
                  required: false,
                  content: { 'application/json': { schema: schemaOf(z.object(bodyShape)) } },
                },
              }
            : {}),
        responses: {
          '200':
            spec.http.response === 'file'
              ? {
                  description:
                    'the file itself, with its Content-Type and a Content-Disposition naming it',
                  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
                }
              : {
                  description: 'the result',
                  content: {
                    'application/json': {
                      schema: z.toJSONSchema(spec.result, { unrepresentable: 'any' }),
                    },
                  },
                },
          default: { description: 'an error: { error: { code, message, details } }' },
        },
        ...(name === 'health' ? { security: [] } : {}),
      },
    };
  }
  for (const [name, stream] of Object.entries(STREAMS)) {
    const shape = stream.params.shape as Record<string, z.ZodType>;
    paths[stream.path] = {
      get: {
        operationId: name,
        summary: stream.summary,
        parameters: Object.entries(shape).map(([k, s]) => ({
          name: k,
          in: stream.path.includes(`{${k}}`) ? 'path' : 'query',
          required: !s.safeParse(undefined).success,
          schema: schemaOf(s),
        })),
        responses: { '200': { description: 'text/event-stream (Server-Sent Events)' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Sluice local API', version: VERSION },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}

/** A self-contained page listing the routes (no scripts from elsewhere). */
export function docsPage(): string {
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = (Object.keys(METHODS) as MethodName[])
    .map((n) => {
      const m = METHODS[n];
      const params = Object.keys(m.params.shape).join(', ') || '—';
      return `<tr><td><code>${m.http.verb}</code></td><td><code>${esc(m.http.path)}</code></td><td>${esc(m.summary)}</td><td><code>${esc(params)}</code></td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sluice API</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;text-align:left;vertical-align:top}tr:nth-child(even){background:#f3f3f3}</style></head>
<body><h1>Sluice local API</h1><p>Every route but <code>/health</code> needs the API key in the <code>X-API-Key</code> header. Errors come as <code>{"error": {"code", "message", "details"}}</code> with a matching HTTP status. Lists take <code>page</code> and <code>page_size</code> (at most 100) and answer <code>total</code> and <code>has_next</code>. Events: <code>GET /api/events</code> and <code>GET /api/runs/{run_id}/logs/follow</code> (Server-Sent Events). A file goes to the data folder with <code>PUT /api/files/{name}</code>, its bytes as the body; a run's report comes as a file from <code>GET /api/runs/{run_id}/report/file?format=html|xlsx|pdf|json|csv</code>. The full schema: <code>GET /openapi.json</code>.</p>
<table><tr><th>verb</th><th>path</th><th>what</th><th>parameters</th></tr>
${rows}
</table></body></html>`;
}
