// Loaded with `node --import` before the built main process, so its `import 'electron'` gets the fake.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
