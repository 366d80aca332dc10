/** nullify: empty, whitespace-only and listed tokens (N/A, NULL, ...) become null. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textColumnsPlan, type StepImpl } from '../step';

export const nullify: StepImpl<StepOf<'nullify'>> = {
  kind: 'nullify',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const fold = !step.case_sensitive;
    const tokens = new Set(fold ? step.tokens.map((t) => t.toLowerCase()) : step.tokens);
    // Cheap pre-checks so that ordinary values never pay for a lookup: a token can only match
    // a value of its length that starts with one of its first characters.
    const lengths = new Set(step.tokens.map((t) => t.length));
    const firsts = new Set(
      step.tokens.flatMap((t) =>
        fold ? [t.toLowerCase().charCodeAt(0), t.toUpperCase().charCodeAt(0)] : [t.charCodeAt(0)],
      ),
    );
    const shortLength = new Uint8Array(64);
    for (const len of lengths) if (len < 64) shortLength[len] = 1;
    const asciiFirst = new Uint8Array(128);
    for (const c of firsts) if (c < 128) asciiFirst[c] = 1;
    const isToken = (t: string): boolean => {
      const len = t.length;
      if (len < 64 ? shortLength[len] === 0 : !lengths.has(len)) return false;
      const c = t.charCodeAt(0);
      if (c < 128 ? asciiFirst[c] === 0 : !firsts.has(c)) return false;
      return tokens.has(fold ? t.toLowerCase() : t);
    };
    return textColumnsPlan(input, cols, ({ values, plain }, n, changes) => {
      let out: (string | null)[] | null = null;
      for (let i = 0; i < n; i++) {
        // Known to have nothing to trim, and a length no token has: not a token.
        if (plain !== undefined) {
          const len = plain[i];
          if (len !== 0 && len < 64 && shortLength[len] === 0) continue;
        }
        const v = values[i];
        if (v === null) continue;
        let blank: boolean;
        if (v.length === 0) blank = true;
        else {
          const a = v.charCodeAt(0);
          const z = v.charCodeAt(v.length - 1);
          // Printable ASCII at both ends: nothing to trim (other characters may be Unicode spaces).
          if (a > 32 && a < 127 && z > 32 && z < 127) blank = isToken(v);
          else {
            const t = v.trim();
            blank = t.length === 0 || isToken(t);
          }
        }
        if (!blank) continue;
        if (out === null) out = values.slice(0, n);
        out[i] = null;
        changes.cells++;
      }
      return out && { kind: 'text', values: out };
    });
  },
};
