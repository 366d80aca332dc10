/**
 * The `sluice` process: the entry of the built command (out/cli/sluice.mjs, made by
 * scripts/build-cli.mjs) and, through tsx, of sluice.mjs run from the sources.
 */
import { main } from './main';

// A closed pipe (`sluice runs | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv);
