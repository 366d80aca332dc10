/**
 * The keychain passwords a run looks up: those of every connection its pipelines read from (a
 * PostgreSQL source) and load into, each looked up once; none for connections it does not use.
 */
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import { projectPasswords } from '../../src-main/orchestrator/run-project';

const pipeline = (raw: unknown) => Pipeline.parse(raw);

describe('projectPasswords', () => {
  it("asks for a PostgreSQL source's connection as for an output's", () => {
    const asked: string[] = [];
    const kept: Record<string, string> = { warehouse: 'w-secret', mart: 'm-secret', other: 'x' };
    const found = projectPasswords(
      [
        pipeline({
          name: 'a',
          source: { postgres: { table: 'sales.orders', connection: 'warehouse' } },
          outputs: [{ kind: 'postgres', table: 'orders', connection: 'mart' }],
        }),
        pipeline({
          name: 'b',
          source: { postgres: { query: 'select 1', connection: 'warehouse' } },
          outputs: [{ kind: 'csv', path: 'out/b.csv' }],
        }),
        pipeline({
          name: 'c',
          source: { path: 'c.csv' },
          outputs: [{ kind: 'csv', path: 'o.csv' }],
        }),
      ],
      (name) => {
        asked.push(name);
        return kept[name];
      },
    );
    expect(found).toEqual({ warehouse: 'w-secret', mart: 'm-secret' });
    expect(asked.sort()).toEqual(['mart', 'warehouse']);
  });
});
