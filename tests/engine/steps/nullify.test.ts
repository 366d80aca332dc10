import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('nullify', () => {
  it('turns empty, whitespace-only and default tokens into null', () => {
    const r = runSteps(
      [{ step: 'nullify' }],
      ['a'],
      [[''], ['   '], ['N/A'], ['null'], [' #N/A '], ['ok'], ['NaNa']],
    );
    expect(r.rows.map((x) => x[0])).toEqual([null, null, null, null, null, 'ok', 'NaNa']);
    expect(r.reports[0].cellsChanged).toBe(5);
  });
  it('keeps NA by default: it is a province code in the retail data (Napoli)', () => {
    const r = runSteps([{ step: 'nullify' }], ['State Code'], [['NA'], ['na']]);
    expect(r.rows).toEqual([['NA'], ['na']]);
  });
  it('uses the listed tokens, case-sensitively when asked', () => {
    const r = runSteps(
      [{ step: 'nullify', tokens: ['missing'], case_sensitive: true }],
      ['a'],
      [['missing'], ['MISSING'], ['N/A']],
    );
    expect(r.rows.map((x) => x[0])).toEqual([null, 'MISSING', 'N/A']);
  });
});
