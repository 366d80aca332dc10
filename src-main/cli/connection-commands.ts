/**
 * sluice connections: the user's saved PostgreSQL connections, as the window's Connections
 * dialog shows them (list, add, edit, remove, test), through the same service methods.
 */
import { Argument, Option, type Command } from 'commander';
import type { Params, Result } from '../../src-shared/api/contract';
import { EXIT, UsageError, wholeNumber } from './common';
import { table } from './format';
import { ask, printJson, projectService, using, type CliService } from './service-call';

const ACTIONS = ['list', 'add', 'edit', 'remove', 'test'] as const;
type Action = (typeof ACTIONS)[number];

interface Flags {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: 'disable' | 'require' | 'verify-full';
  forgetPassword?: boolean;
  timeout?: number;
  project?: string;
  json?: boolean;
}

/**
 * The connection methods, served as the desktop app serves them (save, remove and test
 * allowed) but without a keychain: the CLI cannot keep a password, only forget one.
 */
async function connectionService(project?: string): Promise<CliService> {
  if (project) return projectService(project, { manageConnections: true, face: 'cli' });
  const { connectionHandlers } = await import('../service/handlers/connections');
  const handlers = connectionHandlers({
    opts: { manageConnections: true, face: 'cli' },
    project: { project: { connections: {} } },
  });
  return {
    handlers,
    followLogs: () => Promise.reject(new Error('no runs here')),
    close: async () => {},
  };
}

export function registerConnectionCommands(program: Command): void {
  program
    .command('connections')
    .description('list, add, edit, remove or test your saved PostgreSQL connections')
    .addArgument(
      new Argument('[action]', 'list (default), add, edit, remove or test').choices(ACTIONS),
    )
    .argument('[name]', 'the connection (recipes name it in an output: connection: NAME)')
    .option('--host <host>', 'server host name or address')
    .option('--port <n>', 'server port (default 5432)', wholeNumber(1))
    .option('--database <db>', 'database name')
    .option('--user <user>', 'user name')
    .addOption(
      new Option(
        '--sslmode <mode>',
        'TLS: disable (default), require (encrypted, the certificate not checked) or verify-full (certificate and host checked)',
      ).choices(['disable', 'require', 'verify-full']),
    )
    .option('--forget-password', 'add or edit: forget the password the desktop app kept for it')
    .option(
      '--timeout <s>',
      'test: give up after this many seconds (default 10, at most 60)',
      (v) => Math.min(60, wholeNumber(1)(v)),
    )
    .option('--project <dir>', 'say which saved connections shadow one of this project')
    .option('--json', 'print JSON (the result of connections.list, save, remove or test)')
    .action(async (action: Action | undefined, name: string | undefined, o: Flags) => {
      const svc = await connectionService(o.project);
      await using(svc, async () => {
        const act = action ?? 'list';
        if (act !== 'list' && !name && !(act === 'test' && o.host))
          throw new UsageError(`sluice connections ${act} needs the connection's name`);
        switch (act) {
          case 'list':
            return list(await ask(svc, 'connections.list', {}), o.json);
          case 'add':
          case 'edit':
            return save(svc, act, name!, o);
          case 'remove': {
            const r = await ask(svc, 'connections.remove', { name: name! });
            if (o.json) return printJson(r);
            process.stdout.write(
              `removed ${r.name}${r.password_forgotten ? ' and forgot its password' : ''}\n`,
            );
            return;
          }
          case 'test':
            return test(svc, name, o);
        }
      });
    });
}

function list(r: Result<'connections.list'>, json?: boolean): void {
  if (json) return printJson(r);
  if (!r.connections.length) {
    process.stdout.write('no saved connections (sluice connections add NAME --host ...)\n');
    return;
  }
  process.stdout.write(
    table(
      ['name', 'server', 'database', 'user', 'password'],
      r.connections.map((c) => [
        c.name + (c.shadows_project ? ' *' : ''),
        `${c.host}:${c.port}`,
        c.database,
        c.user,
        c.password_env_set ? `from ${c.password_env}` : c.password_kept ? 'kept' : 'none',
      ]),
    ) + '\n',
  );
  if (r.connections.some((c) => c.shadows_project))
    process.stdout.write("* used instead of the project's connection of the same name\n");
}

async function save(svc: CliService, act: 'add' | 'edit', name: string, o: Flags): Promise<void> {
  const fields = { host: o.host, port: o.port, database: o.database, user: o.user };
  let params: Params<'connections.save'>;
  if (act === 'edit') {
    // An edit changes what is given and keeps the rest.
    const was = (await ask(svc, 'connections.list', {})).connections.find((c) => c.name === name);
    if (!was) throw new UsageError(`there is no saved connection named "${name}"`);
    params = {
      name,
      host: o.host ?? was.host,
      port: o.port ?? was.port,
      database: o.database ?? was.database,
      user: o.user ?? was.user,
      sslmode: o.sslmode ?? was.sslmode,
      exists: true,
    };
  } else {
    const missing = Object.entries({ host: o.host, database: o.database, user: o.user })
      .filter(([, v]) => v === undefined)
      .map(([k]) => `--${k}`);
    if (missing.length) throw new UsageError(`sluice connections add needs ${missing.join(', ')}`);
    params = {
      name,
      ...fields,
      host: o.host!,
      database: o.database!,
      user: o.user!,
      exists: false,
    };
    if (o.sslmode) params.sslmode = o.sslmode;
  }
  if (o.forgetPassword) params.password = null;
  const r = await ask(svc, 'connections.save', params);
  if (o.json) return printJson(r);
  const { passwordVariable } = await import('../../src-shared/connections');
  process.stdout.write(
    `saved ${r.name}: ${r.user}@${r.host}:${r.port}/${r.database}` +
      (r.sslmode === 'disable' ? '\n' : ` (sslmode ${r.sslmode})\n`) +
      (r.password_kept
        ? 'a password is kept for it by the desktop app\n'
        : `no password is kept (the command line has no keychain): runs take it from ${passwordVariable(r.name)}, else PGPASSWORD\n`),
  );
}

async function test(svc: CliService, name: string | undefined, o: Flags): Promise<void> {
  const params: Params<'connections.test'> = {
    ...(name && { name }),
    ...(o.host && { host: o.host }),
    ...(o.port && { port: o.port }),
    ...(o.database && { database: o.database }),
    ...(o.user && { user: o.user }),
    ...(o.sslmode && { sslmode: o.sslmode }),
    ...(o.timeout && { timeout_s: o.timeout }),
  };
  const r = await ask(svc, 'connections.test', params);
  if (!r.ok) process.exitCode = EXIT.failed;
  if (o.json) return printJson(r);
  if (r.ok) process.stdout.write(`${r.target}: ${r.version}\n`);
  else process.stderr.write(`${r.target}: ${r.error}\n`);
}
