/** sluice demo: the example project on generated sample data. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { storeOption } from './common';
import { exitCodeOf, printRunSummary } from './run-commands';
import { progressPrinter } from './progress';

export const EXAMPLE_PROJECT = fileURLToPath(
  new URL('../../config/examples/global-electronics', import.meta.url),
);

export function registerDevCommands(program: Command): void {
  program
    .command('demo')
    .description('generate sample data for the example project and run it')
    .option('--project <dir>', 'project to run', EXAMPLE_PROJECT)
    .option('--regenerate', 'write the sample data again even if it exists')
    .addOption(storeOption())
    .action(async (o: { project: string; regenerate?: boolean; store?: string }) => {
      const [{ loadProject }, { runProject }, { withRunStore }, { writeSampleData }] =
        await Promise.all([
          import('../io/recipe-load'),
          import('../orchestrator/run-project'),
          import('../store/open'),
          import('../demo/sample-data'),
        ]);
      const project = await loadProject(o.project);
      const dataDir = resolve(project.dir, project.project.data);
      if (o.regenerate || !existsSync(join(dataDir, 'Sales.csv'))) {
        const counts = await writeSampleData(dataDir);
        process.stdout.write(
          `sample data written to ${dataDir}: ${counts.customers} customers, ${counts.products} products, ${counts.stores} stores, ` +
            `${counts.exchangeRates} exchange rates, ${counts.sales} sales lines (with ${counts.duplicates.customers} + ${counts.duplicates.sales} duplicated rows)\n\n`,
        );
      }
      const progress = progressPrinter();
      const report = await withRunStore(project, o.store, (store) =>
        runProject(project, store, {
          onProgress: (p) => progress.update(p),
          onPipelineDone: (r) => progress.done(r.name),
        }),
      );
      printRunSummary(report);
      process.stdout.write(
        `\nsee it again with: npx sluice runs${o.store ? ` --store ${o.store}` : ''}\n`,
      );
      process.exitCode = exitCodeOf(report);
    });
}
