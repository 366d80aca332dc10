// Builds better-sqlite3 for Electron inside the folder it is given (a copy of the package made by
// prepare-app.mjs), never in node_modules: the CLI and the tests keep node_modules' Node build.
// It runs as its own process so prepare-app.mjs can stop it, compiler and all, at its deadline.
import { rebuild } from '@electron/rebuild';

const [buildPath, electronVersion] = process.argv.slice(2);
try {
  await rebuild({
    buildPath,
    electronVersion,
    onlyModules: ['better-sqlite3'],
    force: true,
    // The copy's only dependency is better-sqlite3; nothing else to walk.
    types: ['prod'],
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
