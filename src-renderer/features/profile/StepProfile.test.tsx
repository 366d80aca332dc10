/**
 * The step profile and the facet bar in Chromium: a click on a value or a bin becomes a facet,
 * chips say how many rows match and why a facet does not filter one side, a chip removes its
 * facet, and a merge of clusters adds one replace step after the selected step.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import type { Facet, StepColumnProfile } from '../../../src-shared/api/contract';
import type { ApiClient } from '../../api/client';
import { useStore } from '../../store';
import type { Clusters, Preview, StepProfile as Profile } from '../../store/types';
import { columnProfile } from '../../testing/fixtures';
import { FacetBar } from './FacetBar';
import { StepProfile } from './StepProfile';

const stepColumn = (c: Parameters<typeof columnProfile>[0]): StepColumnProfile => ({
  ...columnProfile(c),
  rows: 62884,
  inferred: c.type,
});

const of = { name: 'sales', step: 3 };
const profile = (facets: Facet[], matching: number): Profile => ({
  step: { index: 2, name: '3:parse_dates', kind: 'parse_dates', enabled: true },
  side: 'after',
  total: 62884,
  matching,
  facets: facets.map((facet) => ({ facet, applied: true })),
  columns: [
    stepColumn({
      name: 'Order Date',
      type: 'date',
      distinct_count: 1641,
      min: '2016-01-01',
      max: '2021-02-20',
      histogram: [
        { from: '2016-01-01', to: '2018-06-30', count: 20000 },
        { from: '2018-07-01', to: '2021-02-20', count: 42884 },
      ],
    }),
    stepColumn({
      name: 'Currency Code',
      type: 'string',
      distinct_count: 5,
      top_values: [
        { value: 'USD', count: 33767 },
        { value: 'CAD', count: 5415 },
      ],
    }),
  ],
});

const preview = {
  step: { index: 2, name: '3:parse_dates', kind: 'parse_dates', enabled: true },
  before: {
    columns: [
      { name: 'Order Date', type: 'string' },
      { name: 'Currency Code', type: 'string' },
    ],
    rows: [],
    lines: [],
    total: 62884,
    twins: [],
  },
  after: {
    columns: [
      { name: 'Order Date', type: 'date' },
      { name: 'Currency Code', type: 'string' },
    ],
    rows: [],
    lines: [],
    total: 62884,
    twins: [],
  },
  changed: [],
  before_changed: [],
  changed_columns: [],
  before_dropped: [],
  dropped: [],
  dropped_total: 0,
  counts: null,
} as Preview;

const calls: { method: string; params: unknown }[] = [];
const clusters: Clusters = {
  column: 'Currency Code',
  method: 'fingerprint',
  distinct: 6,
  rows: 62884,
  total_clusters: 1,
  clusters: [
    {
      key: 'usd',
      values: [
        { value: 'USD', count: 33767 },
        { value: 'usd ', count: 3 },
      ],
      rows: 33770,
      proposed: 'USD',
    },
  ],
};
const client = {
  async call(method: string, params: { facets?: Facet[] }) {
    calls.push({ method, params });
    if (method === 'pipelines.profile') return profile(params.facets ?? [], 5415);
    if (method === 'pipelines.clusters') return clusters;
    throw new Error(`unexpected ${method}`);
  },
} as unknown as ApiClient;

const RECIPE =
  'name: sales\nsource: {path: Sales.csv}\nsteps:\n  - step: trim\n  - step: nullify\n  - step: parse_dates\n    columns: [Order Date]\n    formats: [M/d/yyyy]\n';

beforeEach(() => {
  calls.length = 0;
  useStore.setState({
    client,
    editor: {
      name: 'sales',
      file: 'pipelines/sales.yaml',
      saved: RECIPE,
      yaml: RECIPE,
      past: [],
      future: [],
      steps: [{ step: 'trim' }, { step: 'nullify' }, { step: 'parse_dates' }],
      issues: [],
      selected: 2,
      saving: false,
      error: null,
    },
    preview: { ...useStore.getState().preview, result: preview, of, facets: [] },
    stepProfile: { key: '', of, result: profile([], 62884), loading: false, error: null },
    clusters: null,
    profileOpen: true,
  });
});

describe('the step profile', () => {
  it('shows each column with its type and bars; a click on a value or a bin is a facet', async () => {
    const screen = await render(
      <>
        <FacetBar />
        <StepProfile />
      </>,
    );
    await expect
      .element(screen.getByTestId('step-profile'))
      .toHaveTextContent(/Profile after step 3: parse_dates.*62,884 rows/);
    await userEvent.click(screen.getByRole('button', { name: /^CAD/ }));
    expect(useStore.getState().preview.facets).toEqual([
      { kind: 'values', column: 'Currency Code', values: ['CAD'] },
    ]);
    await expect
      .element(screen.getByTestId('facet-count'))
      .toHaveTextContent('5,415 of 62,884 rows match');
    await userEvent.click(screen.getByRole('button', { name: /^2016-01-01/ }));
    expect(useStore.getState().preview.facets).toContainEqual({
      kind: 'range',
      column: 'Order Date',
      from: '2016-01-01',
      to: '2018-06-30',
    });
    // The date range cannot filter the text dates before the step, and says so.
    const chip = screen.getByTestId('facet-chip').nth(1);
    await expect.element(chip).toHaveTextContent('(not before)');
    await expect
      .element(chip)
      .toHaveAttribute('title', expect.stringContaining('is string, not date'));
    expect(calls.filter((c) => c.method === 'pipelines.profile').length).toBe(2);
    await userEvent.click(screen.getByRole('button', { name: 'remove facet Currency Code: CAD' }));
    expect(useStore.getState().preview.facets.map((f) => f.column)).toEqual(['Order Date']);
  });

  it('collapses; closed and without facets it is not computed', async () => {
    const screen = await render(<StepProfile />);
    await expect.element(screen.getByRole('list', { name: 'columns' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Hide the profile' }));
    await expect.element(screen.getByRole('list', { name: 'columns' })).not.toBeInTheDocument();
    await useStore.getState().loadStepProfile();
    expect(calls).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Show the profile' }));
    expect(calls.map((c) => c.method)).toEqual(['pipelines.profile']);
    await expect.element(screen.getByRole('list', { name: 'columns' })).toBeInTheDocument();
  });

  it('merges the chosen clusters into one replace step after the selected step', async () => {
    const screen = await render(<StepProfile />);
    await userEvent.selectOptions(screen.getByLabelText('cluster column'), 'Currency Code');
    await userEvent.click(screen.getByRole('button', { name: 'Find clusters' }));
    await expect
      .element(screen.getByTestId('cluster'))
      .toHaveTextContent(/USD \(33,767\).*usd \(3\)/);
    await userEvent.click(screen.getByRole('button', { name: /Merge selected \(1\)/ }));
    const ed = useStore.getState().editor!;
    expect(ed.yaml).toMatch(
      /- step: replace\n\s+name: merge Currency Code\n\s+columns:\s*\n\s+- Currency Code\n\s+values:\n\s+"usd ": USD\n/,
    );
    expect(ed.steps.map((s) => s.step)).toEqual(['trim', 'nullify', 'parse_dates', 'replace']);
    expect(ed.selected).toBe(3);
  });
});
