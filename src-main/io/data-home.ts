/** Where Sluice keeps its own files: the user's data folder, or SLUICE_HOME when set. */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function dataHome(): string {
  if (process.env.SLUICE_HOME) return process.env.SLUICE_HOME;
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Sluice');
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Sluice');
    default:
      return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'sluice');
  }
}
