/** sluice serve: the local HTTP API and the UI for one project. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { allowPathOption, storeOption, UsageError, wholeNumber } from './common';
import { serviceOptions } from './service-call';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The built renderer (npm run build puts it in out/renderer). */
const UI_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the local HTTP API (and the UI) for a project')
    .argument('[project]', 'project folder (default: the last one opened)')
    .option('--port <n>', 'port (default 8750; 0 picks a free one)', (v) => wholeNumber(0)(v))
    .option('--host <h>', 'address to listen on (default 127.0.0.1; another needs --expose)')
    .option(
      '--expose',
      'take requests from other computers too (with --host): anyone with the key can run and read the project',
    )
    .option('--allow-host <name>', 'also accept requests for this Host name (repeatable)', collect)
    .option(
      '--allow-connections',
      'serve connections.save, remove and test too: anyone with the key can make this computer connect to a host and port',
    )
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .action(
      async (
        dir: string | undefined,
        o: {
          port?: number;
          host?: string;
          expose?: boolean;
          allowHost?: string[];
          allowConnections?: boolean;
          data?: string;
          allowPath?: string[];
          store?: string;
        },
      ) => {
        const [{ apiKey }, { SluiceService }, { recentProjects, rememberProject }, { serve }] =
          await Promise.all([
            import('../service/api-key'),
            import('../service/api-service'),
            import('../service/recent'),
            import('../transports/server'),
          ]);
        const project = dir ?? recentProjects()[0];
        if (!project) throw new UsageError('name a project folder: no project has been opened yet');
        const loopback = o.host === undefined || /^(127\.|::1$|localhost$)/.test(o.host);
        if (!loopback && !o.expose)
          throw new UsageError(
            `--host ${o.host} would take requests from other computers: add --expose if that is what you want`,
          );
        if (o.expose)
          process.stderr.write(
            `warning: --expose: computers that can reach ${o.host ?? '127.0.0.1'} and have the API key can run this project's pipelines and read its data; ` +
              'requests still need a Host name this server accepts (--allow-host)\n',
          );
        const service = await SluiceService.open(project, {
          ...serviceOptions(o),
          manageConnections: o.allowConnections === true,
          face: 'server',
        });
        rememberProject(service.projectDir);
        // Opening the run store marks runs of processes that died as interrupted, now.
        await service.withStore(() => undefined);
        const key = apiKey();
        const running = await serve(service, {
          port: o.port,
          host: o.host,
          apiKey: key.key,
          allowedHosts: o.allowHost,
          remoteClients: o.expose === true,
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
