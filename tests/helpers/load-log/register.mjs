// `node --import <this file>`: logs what the process loads (hooks.mjs). Worker threads inherit
// the flag, so they log too.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
