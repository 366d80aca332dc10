/** Where the run store lives by default: in Sluice's data folder. */
import { join } from 'node:path';
import { dataHome } from '../io/data-home';

export { dataHome };

export function defaultStorePath(): string {
  return join(dataHome(), 'store.db');
}
