/**
 * The contract's words: events are checked against a schema whose statuses come from the one
 * vocabulary, and the lists in the vocabulary are the ones the recipe schema, the contract's
 * parameters and the OpenAPI document accept.
 */
import { describe, expect, it } from 'vitest';
import { ApiEvent, eventOf, METHODS } from '../../src-shared/api/contract';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import {
  DELIMITER_NAMES,
  DELIMITERS,
  ENCODINGS,
  RUN_STATUSES,
  TASK_STATUSES,
  TEXT_ENCODINGS,
} from '../../src-shared/vocabulary';
import { sniffDelimiter } from '../../src-main/io/sniff';
import { openApiDocument } from '../../src-main/transports/openapi';

const run = 'run_20261202T180000Z_ab12cd';

describe('events', () => {
  it('accepts each kind of event the service sends', () => {
    const events: ApiEvent[] = [
      {
        type: 'run.progress',
        run_id: run,
        pipeline: 'sales',
        rows: 100_000,
        rows_per_second: 2e5,
        stage: 'reading',
      },
      { type: 'task.state', run_id: run, pipeline: 'sales', status: 'upstream_failed' },
      { type: 'run.state', run_id: run, status: 'interrupted' },
      { type: 'log', run_id: run, level: 'warn', pipeline: null, message: 'slow disk' },
      { type: 'project.opened', dir: '/p', name: 'shop' },
      { type: 'preview.progress', pipeline: 'sales', step: 2, rows: 100_000 },
    ];
    for (const e of events) expect(eventOf(structuredClone(e))).toEqual(e);
  });

  it('rejects an unknown status, type or level, and a missing field', () => {
    expect(eventOf({ type: 'run.state', run_id: run, status: 'exploded' })).toBeNull();
    // A task's status is not a run's.
    expect(eventOf({ type: 'run.state', run_id: run, status: 'upstream_failed' })).toBeNull();
    expect(eventOf({ type: 'task.state', run_id: run, pipeline: 'a', status: 'done' })).toBeNull();
    expect(
      eventOf({ type: 'log', run_id: run, level: 'fatal', pipeline: null, message: 'x' }),
    ).toBeNull();
    expect(eventOf({ type: 'run.started', run_id: run })).toBeNull();
    expect(eventOf({ type: 'run.state', status: 'running' })).toBeNull();
    expect(eventOf(null)).toBeNull();
    const r = ApiEvent.safeParse({ type: 'run.state', run_id: run, status: 'exploded' });
    expect(r.success ? '' : r.error.issues[0].path.join('.')).toBe('status');
  });

  it('takes each status of the vocabulary, and only those', () => {
    for (const status of TASK_STATUSES)
      expect(eventOf({ type: 'task.state', run_id: run, pipeline: 'a', status })).not.toBeNull();
    const runStates = TASK_STATUSES.filter(
      (status) => eventOf({ type: 'run.state', run_id: run, status }) !== null,
    );
    expect(runStates).toEqual([...RUN_STATUSES]);
  });
});

describe('the vocabulary where it is used', () => {
  it("is the run statuses runs.list filters by, and the OpenAPI document's", () => {
    const params = METHODS['runs.list'].params;
    for (const status of RUN_STATUSES) expect(params.safeParse({ status }).success).toBe(true);
    expect(params.safeParse({ status: 'skipped' }).success).toBe(false);
    const doc = openApiDocument() as {
      paths: Record<
        string,
        { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }
      >;
    };
    const status = doc.paths['/api/runs'].get.parameters.find((p) => p.name === 'status');
    expect(status?.schema.enum).toEqual([...RUN_STATUSES]);
  });

  it('is the encodings and delimiters a recipe and an import may name', () => {
    const source = (s: Record<string, unknown>) =>
      Pipeline.safeParse({ name: 'p', source: { path: 'a.csv', ...s } }).success;
    for (const encoding of ['auto', ...ENCODINGS]) expect(source({ encoding })).toBe(true);
    expect(source({ encoding: 'utf-32' })).toBe(false);
    for (const delimiter of ['auto', ...DELIMITERS]) expect(source({ delimiter })).toBe(true);
    expect(source({ delimiter: ':' })).toBe(false);
    const inspect = METHODS['imports.inspect'].params;
    for (const encoding of ENCODINGS)
      expect(inspect.safeParse({ path: 'a.csv', encoding }).success).toBe(true);
    // An import names what to read the file as; 'auto' is leaving the setting out.
    expect(inspect.safeParse({ path: 'a.csv', encoding: 'auto' }).success).toBe(false);
    expect(TEXT_ENCODINGS.every((e) => (ENCODINGS as readonly string[]).includes(e))).toBe(true);
    expect(Object.keys(DELIMITER_NAMES).sort()).toEqual([...DELIMITERS].sort());
  });

  it('is the delimiters sniffing finds', () => {
    for (const d of DELIMITERS) {
      const sample = ['id', 'name', 'city'].join(d) + '\n' + ['1', 'Ann', 'Oslo'].join(d) + '\n';
      expect(sniffDelimiter(sample.repeat(3), '"', true)).toBe(d);
    }
  });
});
