/**
 * The debug log (stack traces in logs/debug.log of Sluice's folder), for the shells above the
 * service: the desktop app keeps there what went wrong in the background beside what it told
 * the user.
 */
export { debugLog, debugLogPath } from '../io/debug-log';
