#!/usr/bin/env node
// The `sluice` command. TypeScript sources are loaded through tsx, so there is no build step
// between a clone and a working CLI.
import { register } from 'tsx/esm/api';

// A closed pipe (`sluice runs | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
