/**
 * Schema problems of a recipe in plain words. Zod says "Invalid input: expected array, received
 * string"; a person editing a recipe needs "step 3 (trim): `columns` must be a list of column
 * names, like [Name, City]". Shared so the window, the service and the CLI say the same.
 */
import type { z } from 'zod';
import { Step } from './steps';

type Path = readonly PropertyKey[];

/** What some settings hold, in words, with an example; used when their shape is wrong. */
const SHAPES: Record<string, string> = {
  columns: 'a list of column names, like [Name, City]',
  key: 'a list of column names, like [CustomerKey]',
  by: 'a list of column names, like [Country]',
  formats: 'a list of formats, like ["%m/%d/%Y"]',
  tokens: 'a list of texts, like ["N/A", "-"]',
};
const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping, like {name: value}',
  record: 'a mapping, like {name: value}',
};

const COMMON = ['name', 'enabled', 'note'];

/** The settings a step kind takes, its own first; null for an unknown kind. */
export function settingsOf(kind: string): string[] | null {
  const schema = Step.options.find((o) => o.shape.step.value === kind);
  if (!schema) return null;
  const own = Object.keys(schema.shape).filter((k) => k !== 'step' && !COMMON.includes(k));
  return [...own, ...COMMON];
}

/** "step 3 (trim)", "source", "outputs 1": where in the recipe, for a message's start. */
export function placeOf(path: Path, steps: readonly unknown[]): string {
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const s = steps[path[1]] as { step?: unknown } | undefined;
    const kind = s && typeof s === 'object' && typeof s.step === 'string' ? ` (${s.step})` : '';
    return `step ${path[1] + 1}${kind}`;
  }
  if (path[0] === 'outputs' && typeof path[1] === 'number') return `output ${path[1] + 1}`;
  return path.length ? String(path[0] as string) : 'the recipe';
}

/** The setting a path names within its step or section: `columns`, `columns.Price`. */
function fieldOf(path: Path): string | null {
  const rest = path[0] === 'steps' || path[0] === 'outputs' ? path.slice(2) : path.slice(1);
  return rest.length ? rest.map(String).join('.') : null;
}

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** The value at `path` in the parsed (unchecked) recipe. */
function valueAt(recipe: unknown, path: Path): unknown {
  let v = recipe;
  for (const p of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/**
 * One zod issue of a recipe, in plain words, starting with where it is.
 * @example plainIssue(issue, recipe) // 'step 3 (trim): `columns` must be a list of column names, like [Name, City]'
 */
export function plainIssue(issue: z.core.$ZodIssue, recipe: unknown): string {
  const path = issue.path;
  const steps = (valueAt(recipe, ['steps']) as unknown[] | undefined) ?? [];
  const where = placeOf(path, Array.isArray(steps) ? steps : []);
  const field = fieldOf(path);
  const name = field ? `\`${field}\`` : null;
  const last = String(path[path.length - 1] ?? '');
  const shape = SHAPES[last] ?? null;
  const value = valueAt(recipe, path);
  const say = (words: string): string => `${where}: ${words}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) {
        if (last === 'step') return say('says no `step:` kind; add one, like `step: trim`');
        return say(`${name ?? 'this'} is required${shape ? `: ${shape}` : ''}`);
      }
      const want = shape ?? KINDS[issue.expected] ?? issue.expected;
      return say(`${name ?? 'this'} must be ${want}, not ${quote(value)}`);
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'step') {
        const kinds = Step.options.map((o) => o.shape.step.value);
        return say(`there is no step kind ${quote(value)}; the kinds are ${kinds.join(', ')}`);
      }
      const all = issue.errors.some((e) =>
        e.some((x) => x.code === 'invalid_value' && x.values.includes('all')),
      );
      const want = shape ?? 'a value of another shape';
      return say(`${name ?? 'this'} must be ${want}${all ? ', or all' : ''}`);
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v)).join(', ');
      if (path[path.length - 2] === 'columns' && path[0] === 'steps')
        return say(`column ${last} has type ${quote(value)}; the types are ${options}`);
      return issue.values.length === 1
        ? say(`${name ?? 'this'} must be ${quote(issue.values[0])}`)
        : say(`${name ?? 'this'} must be one of ${options}, not ${quote(value)}`);
    }
    case 'unrecognized_keys': {
      const kind = (valueAt(recipe, [...path, 'step']) as string | undefined) ?? null;
      const known = kind ? settingsOf(kind) : null;
      const keys = issue.keys.map((k) => `\`${k}\``).join(', ');
      const these = issue.keys.length === 1 ? 'is not a setting' : 'are not settings';
      return say(
        `${keys} ${these}${kind ? ` of ${kind}` : ' here'}` +
          (known ? `; its settings are ${known.join(', ')}` : ''),
      );
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'array')
        return say(
          `${name ?? 'this'} needs at least ${n === 1 ? 'one item' : `${n} items`}${shape ? `: ${shape}` : ''}`,
        );
      if (issue.origin === 'string') return say(`${name ?? 'this'} must not be empty`);
      return say(`${name ?? 'this'} must be at least ${n}, not ${quote(value)}`);
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'array') return say(`${name ?? 'this'} takes at most ${n} items`);
      if (issue.origin === 'string') return say(`${name ?? 'this'} is longer than ${n} characters`);
      return say(`${name ?? 'this'} must be at most ${n}, not ${quote(value)}`);
    }
    case 'invalid_format':
      return say(`${name ?? 'this'} must be ${issue.message.replace(/^Invalid string: /, '')}`);
    default:
      return say(name ? `${name}: ${issue.message}` : issue.message);
  }
}
