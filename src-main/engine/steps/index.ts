/** Every step kind, registered once. Adding a kind: a schema in src-shared, a file here. */
import type { StepKind, StepOf } from '../../../src-shared/recipe/steps';
import type { StepImpl } from '../step';
import { aggregate } from './aggregate';
import { caseStep } from './case';
import { cast } from './cast';
import { dedupe } from './dedupe';
import { derive } from './derive';
import { drop } from './drop';
import { fillMissing } from './fill-missing';
import { filter } from './filter';
import { join } from './join';
import { limit } from './limit';
import { nullify } from './nullify';
import { parseDates } from './parse-dates';
import { parseNumbers } from './parse-numbers';
import { rename } from './rename';
import { replace } from './replace';
import { select } from './select';
import { sort } from './sort';
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
  aggregate,
  sort,
  limit,
  derive,
  join,
};
