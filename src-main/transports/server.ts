/** Starts the local HTTP server for an open project's service. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SluiceService } from '../service/api-service';
import { createDispatcher } from './dispatcher';
import { createHttpHandler } from './http';

export interface ServeOptions {
  port?: number;
  host?: string;
  apiKey: string;
  allowedHosts?: string[];
  /** Take requests from other computers; see HttpOptions.remoteClients. */
  remoteClients?: boolean;
  staticDir?: string;
}

export interface RunningServer {
  server: Server;
  /** The base URL, like http://127.0.0.1:8750 */
  url: string;
  close(): Promise<void>;
}

export async function serve(service: SluiceService, opts: ServeOptions): Promise<RunningServer> {
  const handler = createHttpHandler({
    dispatch: createDispatcher(service.handlers),
    subscribe: (l) => service.subscribe(l),
    followLogs: (runId, o, onLine) => service.followLogs(runId, o, onLine),
    apiKey: opts.apiKey,
    allowedHosts: opts.allowedHosts,
    remoteClients: opts.remoteClients,
    staticDir: opts.staticDir,
  });
  const server = createServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8750, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
