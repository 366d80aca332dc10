/** Every step kind, registered once. Adding a kind: a schema in src-shared, a file here. */
import type { StepKind, StepOf } from '../../../src-shared/recipe/steps';
import type { StepImpl } from '../step';
import { aggregate } from './aggregate';
import { caseStep } from './case';
import { dateParts } from './date-parts';
import { cast } from './cast';
import { dedupe } from './dedupe';
import { derive } from './derive';
import { drop } from './drop';
import { fillMissing } from './fill-missing';
import { filter } from './filter';
import { join } from './join';
import { limit } from './limit';
import { normalize } from './normalize';
import { nullify } from './nullify';
import { parseDates } from './parse-dates';
import { parseNumbers } from './parse-numbers';
import { pivot } from './pivot';
import { rename } from './rename';
import { replace } from './replace';
import { select } from './select';
import { sample } from './sample';
import { sort } from './sort';
import { trim } from './trim';
import { union } from './union';
import { unpivot } from './unpivot';
import { validate } from './validate';
import { window } from './window';

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
  date_parts: dateParts,
  sample,
  union,
  pivot,
  unpivot,
  window,
  normalize,
};
