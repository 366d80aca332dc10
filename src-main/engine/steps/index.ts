/** Every step kind, registered once. Adding a kind: a schema in src-shared, a file here. */
import type { StepKind, StepOf } from '../../../src-shared/recipe/steps';
import type { StepImpl } from '../step';
import { caseStep } from './case';
import { cast } from './cast';
import { dedupe } from './dedupe';
import { drop } from './drop';
import { fillMissing } from './fill-missing';
import { filter } from './filter';
import { nullify } from './nullify';
import { parseDates } from './parse-dates';
import { parseNumbers } from './parse-numbers';
import { rename } from './rename';
import { replace } from './replace';
import { select } from './select';
import { trim } from './trim';
import { validate } from './validate';

export const STEPS: { [K in StepKind]: StepImpl<StepOf<K>> } = {
  trim,
  nullify,
  cast,
  parse_dates: parseDates,
  parse_numbers: parseNumbers,
  dedupe,
  fill_missing: fillMissing,
  validate,
  filter,
  rename,
  select,
  drop,
  replace,
  case: caseStep,
};
