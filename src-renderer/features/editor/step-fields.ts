/**
 * The form of each step kind, read from the same zod schemas the engine checks recipes with:
 * a field per setting, its kind (text, number, switch, choice, list of columns, or structured
 * YAML for maps and nested settings), whether it is required, and its default.
 */
import type { z } from 'zod';
import { Step, type StepKind } from '../../../src-shared/recipe/steps';

export type FieldKind = 'text' | 'number' | 'boolean' | 'choice' | 'list' | 'yaml';

export interface StepField {
  key: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  /** A list that may also be the word "all". */
  allowAll?: boolean;
  default?: unknown;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  values?: unknown[];
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function fieldOf(key: string, schema: z.ZodType): StepField {
  let s = schema;
  let required = true;
  let dflt: unknown;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional') required = false;
    else if (d.type === 'default') {
      required = false;
      dflt = typeof d.defaultValue === 'function' ? undefined : d.defaultValue;
    } else if (d.type === 'pipe') {
      s = d.in!;
      continue;
    } else break;
    s = d.innerType!;
  }
  const d = defOf(s);
  const base = { key, required, default: dflt };
  switch (d.type) {
    case 'string':
      return { ...base, kind: 'text' };
    case 'number':
      return { ...base, kind: 'number' };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
      return { ...base, kind: 'choice', options: Object.values(d.entries ?? {}) };
    case 'array':
      return defOf(d.element!).type === 'string'
        ? { ...base, kind: 'list' }
        : { ...base, kind: 'yaml' };
    case 'union': {
      // "all" or a list of columns.
      const kinds = d.options!.map((o) => defOf(o));
      if (
        kinds.length === 2 &&
        kinds.some((k) => k.type === 'literal' && k.values?.[0] === 'all') &&
        kinds.some((k) => k.type === 'array')
      )
        return { ...base, kind: 'list', allowAll: true };
      return { ...base, kind: 'yaml' };
    }
    default:
      return { ...base, kind: 'yaml' };
  }
}

const SCHEMAS = new Map<string, z.ZodObject>(
  (Step as unknown as { options: z.ZodObject[] }).options.map((o) => [
    String(defOf(o.shape.step as z.ZodType).values?.[0]),
    o,
  ]),
);

/** Every step kind, in the order the schema lists them. */
export const STEP_KINDS = [...SCHEMAS.keys()] as StepKind[];

/** The settings of a step kind (without `step` itself; `name`, `note` and `enabled` last). */
export function fieldsOf(kind: string): StepField[] {
  const schema = SCHEMAS.get(kind);
  if (!schema) return [];
  const all = Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([k]) => k !== 'step' && k !== 'enabled')
    .map(([k, s]) => fieldOf(k, s));
  const common = new Set(['name', 'note']);
  return [...all.filter((f) => !common.has(f.key)), ...all.filter((f) => common.has(f.key))];
}

export { newStep } from './new-step';
