/**
 * The import card's question about its key: asked a moment after the key last changes, with
 * "checking…" meanwhile, and only the latest question's answer shown, whatever order the
 * answers come back in.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import type { KeyCheck, Params } from '../../src-shared/api/contract';
import { importSlice, KEY_CHECK_DELAY_MS } from './import-slice';
import type { Inspection, State } from './types';

/** A question the fake service was asked, answered when the test says. */
interface Asked {
  key: string[] | undefined;
  answer(check: Partial<KeyCheck>): void;
}

function storeWithFakeService() {
  const asked: Asked[] = [];
  const inspection = { name: 'sales', suggested_key: ['order', 'line'], rows: 10 } as Inspection;
  const client = {
    call: (method: string, p: Params<'imports.inspect'>) => {
      if (method !== 'imports.inspect') throw new Error(`not expected: ${method}`);
      if (!p.key) return Promise.resolve({ ...inspection, key_check: null });
      return new Promise((resolve) =>
        asked.push({
          key: p.key,
          answer: (c) =>
            resolve({
              ...inspection,
              key_check: {
                key: p.key!,
                rows: 10,
                duplicate_rows: 0,
                duplicate_keys: 0,
                example: null,
                ...c,
              },
            }),
        }),
      );
    },
  };
  const store = create<State>()(
    (...a) => ({ ...importSlice(...a), client, project: null }) as unknown as State,
  );
  return { store, asked };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the import card’s key check', () => {
  it('asks once the key has stayed the same a moment; the last question’s answer wins', async () => {
    const { store, asked } = storeWithFakeService();
    await store.getState().importPaths(['/data/sales.csv']);
    const id = store.getState().imports[0].id;
    const item = () => store.getState().imports[0];
    // Read, then the suggested key is checked: "checking…" (no answer) until it comes.
    expect(item().key).toEqual(['order', 'line']);
    expect(item().keyCheck).toEqual({ key: ['order', 'line'], result: null, error: null });
    await vi.advanceTimersByTimeAsync(KEY_CHECK_DELAY_MS);
    expect(asked.map((a) => a.key)).toEqual([['order', 'line']]);
    asked[0].answer({});
    await vi.runAllTimersAsync();
    expect(item().keyCheck?.result?.duplicate_rows).toBe(0);

    // Three clicks in quick succession: one question, for the key they leave.
    await store.getState().adjustImport(id, { key: ['order'] });
    await vi.advanceTimersByTimeAsync(KEY_CHECK_DELAY_MS / 2);
    await store.getState().adjustImport(id, { key: ['order', 'kind'] });
    await vi.advanceTimersByTimeAsync(KEY_CHECK_DELAY_MS);
    expect(asked.map((a) => a.key)).toEqual([
      ['order', 'line'],
      ['order', 'kind'],
    ]);
    // Changed again while that one is out: its answer, arriving last, is not shown.
    await store.getState().adjustImport(id, { key: ['order'] });
    await vi.advanceTimersByTimeAsync(KEY_CHECK_DELAY_MS);
    expect(asked.map((a) => a.key)).toEqual([['order', 'line'], ['order', 'kind'], ['order']]);
    asked[2].answer({ duplicate_rows: 4, example: { values: ['1001'], rows: 3 } });
    await vi.runAllTimersAsync();
    asked[1].answer({ duplicate_rows: 1 });
    await vi.runAllTimersAsync();
    expect(item().keyCheck).toMatchObject({
      key: ['order'],
      result: { key: ['order'], duplicate_rows: 4 },
    });

    // No key: nothing to ask.
    await store.getState().adjustImport(id, { key: null });
    await vi.runAllTimersAsync();
    expect(item().keyCheck).toBeNull();
    expect(asked).toHaveLength(3);
  });
});
