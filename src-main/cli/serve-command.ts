/** sluice serve: the local HTTP API and the UI for one project. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { apiKey } from '../service/api-key';
import { SluiceService } from '../service/api-service';
import { recentProjects, rememberProject } from '../service/recent';
import { serve } from '../transports/server';
import { storeOption, UsageError } from './common';
import { positiveInt } from './run-commands';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The built renderer (npm run build puts it in out/renderer). */
const UI_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the local HTTP API (and the UI) for a project')
    .argument('[project]', 'project folder (default: the last one opened)')
    .option('--port <n>', 'port (default 8750; 0 picks a free one)', (v) =>
      v === '0' ? 0 : positiveInt(v),
    )
    .option('--host <h>', 'address to listen on (default 127.0.0.1)')
    .option('--allow-host <name>', 'also accept requests for this Host name (repeatable)', collect)
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(storeOption())
    .action(
      async (
        dir: string | undefined,
        o: { port?: number; host?: string; allowHost?: string[]; data?: string; store?: string },
      ) => {
        const project = dir ?? recentProjects()[0];
        if (!project) throw new UsageError('name a project folder: no project has been opened yet');
        const service = await SluiceService.open(project, { storePath: o.store, dataDir: o.data });
        rememberProject(service.projectDir);
        // Opening the run store marks runs of processes that died as interrupted, now.
        await service.withStore(() => undefined);
        const key = apiKey();
        const running = await serve(service, {
          port: o.port,
          host: o.host,
          apiKey: key.key,
          allowedHosts: o.allowHost,
          staticDir: UI_DIR,
        });
        const from =
          key.source === 'env'
            ? 'from SLUICE_API_KEY'
            : `kept in ${key.path}${key.source === 'generated' ? ' (new)' : ''}`;
        process.stdout.write(
          `Sluice is serving ${service.projectName} (${service.projectDir})\n` +
            `  open:    ${running.url}/#key=${key.key}\n` +
            `  API:     ${running.url}/api  (X-API-Key: ${key.key}, ${from})\n` +
            `  docs:    ${running.url}/docs  and ${running.url}/openapi.json\n` +
            `Ctrl-C stops it.\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            void service
              .close()
              .then(() => running.close())
              .then(resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );
}
