/**
 * Sluice's version, read from package.json: the CLI's --version, the API's health answer and
 * the OpenAPI document all say this. A named import, so a bundle (Vite, electron-vite) inlines
 * the one field and not the whole file; tsx reads it from the sources.
 */
import { version } from '../package.json';

export const VERSION: string = version;
