/**
 * Imported first by the renderer's entry: zod compiles object parsers with `new Function`
 * unless told not to, and its probe for that breaks the window's Content-Security-Policy (no
 * 'unsafe-eval'), a console error on every load. The setting is read as each schema is built,
 * so it must run before any module that builds one.
 */
import { z } from 'zod';

z.config({ jitless: true });
