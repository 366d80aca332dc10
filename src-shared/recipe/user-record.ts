/**
 * Maps keyed by user data (column names, cell values, connection names) in zod schemas.
 * z.record drops a key called `__proto__` without a word; userRecord keeps every key, in a
 * bareRecord (bare-record.ts).
 */
import { z } from 'zod';
import { bareRecord } from './bare-record';

/**
 * Like z.record(z.string().min(1), value), but every key is kept and the result is a
 * bareRecord. Issues carry the key in their path, as z.record's do.
 */
export function userRecord<V extends z.ZodType>(
  value: V,
  key: z.ZodType<string> = z.string().min(1),
): z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>> {
  return z.unknown().transform((input, ctx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.issues.push({ code: 'invalid_type', expected: 'record', input });
      return z.NEVER;
    }
    const out = bareRecord<z.output<V>>();
    for (const k of Object.keys(input)) {
      const kr = key.safeParse(k);
      if (!kr.success) {
        ctx.issues.push({
          code: 'invalid_key',
          origin: 'record',
          issues: kr.error.issues,
          input: k,
          path: [k],
        });
        continue;
      }
      // reportInput keeps each issue's input, which tells a missing value from a wrong one.
      const vr = value.safeParse((input as Record<string, unknown>)[k], { reportInput: true });
      if (!vr.success) {
        for (const iss of vr.error.issues)
          ctx.issues.push({ ...iss, path: [k, ...iss.path] } as never);
        continue;
      }
      out[k] = vr.data as z.output<V>;
    }
    return out;
  }) as unknown as z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>>;
}
