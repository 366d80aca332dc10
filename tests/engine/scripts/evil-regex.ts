/**
 * Runs every place a user pattern is used (filter/matches, derive/regex_extract, replace,
 * validate) on catastrophic-backtracking input and prints what came out, as JSON. Run in a
 * child process with a deadline: an engine that backtracks never prints.
 */
import { runSteps } from '../../helpers/engine';

const evil = 'a'.repeat(34) + '!';
const t0 = performance.now();
const rows = [[evil], ['aaa']];
const filter = runSteps([{ step: 'filter', where: "matches(v, '(a+)+$')" }], ['v'], rows);
const derive = runSteps(
  [{ step: 'derive', columns: { g: "regex_extract(v, '^(a|aa)+$', 1)" } }],
  ['v'],
  rows,
);
const replace = runSteps(
  [{ step: 'replace', columns: ['v'], regex: '(x+x+)+y', with: '-' }],
  ['v'],
  [['x'.repeat(40)]],
);
const validate = runSteps(
  [{ step: 'validate', rules: [{ column: 'v', regex: '^(\\w+\\s?)*$', on_invalid: 'null' }] }],
  ['v'],
  [['an evil sentence of many words that ends badly!']],
);
process.stdout.write(
  JSON.stringify({
    filter: filter.rows,
    derive: derive.rows,
    replace: replace.rows,
    validate: validate.rows,
    ms: performance.now() - t0,
  }),
);
