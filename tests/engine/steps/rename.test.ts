import { describe, expect, it } from 'vitest';
import { runSteps } from '../../helpers/engine';

describe('rename', () => {
  it('renames and keeps values and order', () => {
    const r = runSteps(
      [{ step: 'rename', columns: { 'Order Number': 'order_number' } }],
      ['Order Number', 'x'],
      [['1', '2']],
    );
    expect(r.columns).toEqual(['order_number', 'x']);
    expect(r.rows).toEqual([['1', '2']]);
  });
  it('refuses a clash', () => {
    expect(() => runSteps([{ step: 'rename', columns: { a: 'b' } }], ['a', 'b'], [])).toThrow(
      /two columns would be called "b"/,
    );
  });
});
