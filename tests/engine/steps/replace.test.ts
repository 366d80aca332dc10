import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('replace', () => {
  it('maps whole values, including to null', () => {
    const r = runSteps(
      [{ step: 'replace', columns: ['g'], values: { M: 'Male', F: 'Female', '?': null } }],
      ['g'],
      [['M'], ['F'], ['?'], ['Mx']],
    );
    expect(r.rows.map((x) => x[0])).toEqual(['Male', 'Female', null, 'Mx']);
    expect(r.reports[0].cellsChanged).toBe(3);
  });
  it('replaces with a regular expression and groups', () => {
    const r = runSteps(
      [{ step: 'replace', columns: 'all', regex: '(\\d{3})-(\\d{4})', with: '$1$2' }],
      ['p'],
      [['555-1234'], ['none']],
    );
    expect(r.rows.map((x) => x[0])).toEqual(['5551234', 'none']);
  });
  it('reports a bad pattern as a configuration error', () => {
    expect(() =>
      runSteps([{ step: 'replace', columns: 'all', regex: '(', with: '' }], ['p'], [['x']]),
    ).toThrow(/invalid regular expression/);
  });
  it('needs values or regex, not both', () => {
    expect(() => runSteps([{ step: 'replace', columns: 'all' }], ['p'], [])).toThrow(
      /either values or regex/,
    );
  });
});
