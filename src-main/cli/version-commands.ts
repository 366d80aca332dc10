/** sluice versions: a pipeline's saved versions, one of them, or the diff between two. */
import type { Command } from 'commander';
import { allowPathOption, storeOption } from './common';
import { table } from './format';
import { lineDiff } from './line-diff';
import { ask, printJson, projectService, serviceOptions, using } from './service-call';

interface Flags {
  pipeline: string;
  show?: string;
  diff?: [string, string];
  data?: string;
  allowPath?: string[];
  store?: string;
  json?: boolean;
}

export function registerVersionCommands(program: Command): void {
  program
    .command('versions')
    .description("a pipeline's saved versions (each save keeps one), one of them, or a diff")
    .argument('<project>', 'project folder (with sluice.yaml)')
    .requiredOption('--pipeline <name>', 'the pipeline')
    .option('--show <hash>', 'print the text of this version (a hash or its start)')
    .option('--diff <hashes...>', 'print the line diff from one version to another (two hashes)')
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .option(
      '--json',
      'print JSON (the result of pipelines.versions, or pipelines.version with --show or --diff)',
    )
    .action(async (dir: string, o: Flags) => {
      const svc = await projectService(dir, serviceOptions(o));
      await using(svc, async () => {
        const name = o.pipeline;
        if (o.diff) {
          if (o.diff.length !== 2) throw new Error('--diff takes two hashes');
          const [a, b] = await Promise.all(
            o.diff.map((hash) => ask(svc, 'pipelines.version', { name, hash })),
          );
          if (o.json) return printJson([a, b]);
          process.stdout.write(`--- ${a.hash.slice(0, 12)} (${a.saved_at})\n`);
          process.stdout.write(`+++ ${b.hash.slice(0, 12)} (${b.saved_at})\n`);
          for (const l of lineDiff(a.text, b.text)) process.stdout.write(`${l.op}${l.text}\n`);
          return;
        }
        if (o.show) {
          const v = await ask(svc, 'pipelines.version', { name, hash: o.show });
          return o.json ? printJson(v) : void process.stdout.write(v.text);
        }
        const r = await ask(svc, 'pipelines.versions', { name });
        if (o.json) return printJson(r);
        if (!r.items.length)
          return void process.stdout.write(`pipeline ${name} has no saved versions yet\n`);
        process.stdout.write(
          table(
            ['hash', 'saved', 'lines'],
            r.items.map((v) => [v.hash.slice(0, 12), v.saved_at, String(v.lines)]),
          ) + '\n',
        );
      });
    });
}
