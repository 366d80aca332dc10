import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPRESSIONS_DOC, renderExpressionsDoc } from '../../scripts/expressions-doc';
import { FUNCTIONS } from '../../src-shared/recipe/functions';

describe('docs/expressions.md', () => {
  it('is what the function table generates (npm run docs:expressions rewrites it)', async () => {
    expect(readFileSync(EXPRESSIONS_DOC, 'utf8')).toBe(await renderExpressionsDoc());
  });
  it('lists every function with its example', async () => {
    const doc = await renderExpressionsDoc();
    for (const f of FUNCTIONS) {
      expect(doc).toContain(`### ${f.name}\n`);
      expect(doc).toContain(f.example.expression);
    }
  });
});
