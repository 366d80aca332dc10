// The pipeline worker as the sources start it (worker-pool.ts names this file): the built worker,
// out/cli/worker-entry.mjs, when it is current; else the TypeScript worker through tsx
// (src-main/launch.mjs says which). The built CLI starts its sibling out/cli/worker-entry.mjs
// directly, and the desktop app its own out/main/worker.js.
import { pathToFileURL } from 'node:url';
import { builtEntry } from '../launch.mjs';

const built = builtEntry('worker-entry.mjs');
if (built) await import(pathToFileURL(built).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./pipeline-worker.ts');
}
