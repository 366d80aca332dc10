#!/usr/bin/env node
// The `sluice` command (package.json's bin, npm run sluice): the built bundle, out/cli/sluice.mjs,
// when it is current; else the TypeScript sources through tsx (src-main/launch.mjs says which).
import { pathToFileURL } from 'node:url';
import { builtEntry } from '../launch.mjs';

const built = builtEntry('sluice.mjs');
if (built) await import(pathToFileURL(built).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./entry.ts');
}
