/** The pipeline graph in Chromium: a node per pipeline with its live status, an edge per need. */
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { GraphView } from './GraphView';
import { useStore } from '../../store';
import type { Project } from '../../store/types';

type Info = Project['pipelines'][number];

const pipeline = (name: string, upstream: string[], status: string | null): Info => ({
  name,
  description: null,
  file: `pipelines/${name}.yaml`,
  depends_on: [],
  upstream,
  source: upstream.length ? `pipeline ${upstream[0]}` : `${name}.csv`,
  outputs: [],
  last_run: status
    ? { run_id: 'run_1', status: status as never, rows_out: 10, finished_at: null }
    : null,
});

describe('the pipeline graph', () => {
  it('lays out every pipeline with its status, live during a run, and its dependencies', async () => {
    useStore.setState({
      project: {
        name: 'shop',
        dir: '/p',
        data_dir: '/p/data',
        pipelines: [
          pipeline('customers', [], 'succeeded'),
          pipeline('orders', [], 'failed'),
          pipeline('report_customer_demographics_by_country', ['customers', 'orders'], null),
        ],
      },
      live: { orders: { status: 'running', rows: 5000 } },
    });
    const screen = await render(
      <div style={{ width: 1100, height: 700 }}>
        <GraphView />
      </div>,
    );
    const node = (n: string): HTMLElement =>
      document.querySelector<HTMLElement>(`[data-testid="node-${n}"]`)!;
    await expect.element(screen.getByTestId('node-customers')).toBeVisible();
    expect(node('customers').dataset.status).toBe('succeeded');
    // What is happening now wins over how it last ended.
    expect(node('orders').dataset.status).toBe('running');
    expect(node('orders').textContent).toContain('5,000 rows');
    const report = node('report_customer_demographics_by_country');
    expect(report.dataset.status).toBe('never');
    // The longest name fits its node.
    const title = report.querySelector('b')!;
    expect(title.scrollWidth).toBeLessThanOrEqual(report.clientWidth);
    expect(document.querySelectorAll('.react-flow__edge')).toHaveLength(2);
    // Laid out left to right: what a pipeline needs stands to its left.
    const x = (n: string): number => node(n).getBoundingClientRect().left;
    expect(x('customers')).toBeLessThan(x('report_customer_demographics_by_country'));
  });

  it('marks the waiting pipelines of a run started anywhere queued, from its plan', async () => {
    // A run started from the CLI, the API or a schedule: its events are all the window has.
    useStore.setState({
      project: {
        name: 'shop',
        dir: '/p',
        data_dir: '/p/data',
        pipelines: [
          pipeline('sales', [], 'succeeded'),
          pipeline('stores', [], 'succeeded'),
          pipeline('report', ['sales'], 'succeeded'),
        ],
      },
      live: {},
      runs: { ...useStore.getState().runs, activeRunId: null },
    });
    const screen = await render(
      <div style={{ width: 1100, height: 700 }}>
        <GraphView />
      </div>,
    );
    const status = (n: string): string | undefined =>
      document.querySelector<HTMLElement>(`[data-testid="node-${n}"]`)?.dataset.status;
    await expect.element(screen.getByTestId('node-sales')).toBeVisible();
    const { onEvent } = useStore.getState();
    onEvent({
      type: 'run.state',
      run_id: 'run_x',
      status: 'running',
      planned: ['sales', 'report'],
    });
    await expect.poll(() => status('report')).toBe('queued');
    expect(status('sales')).toBe('queued');
    // Not in the run: its last result stays.
    expect(status('stores')).toBe('succeeded');
    onEvent({ type: 'task.state', run_id: 'run_x', pipeline: 'sales', status: 'running' });
    await expect.poll(() => status('sales')).toBe('running');
    expect(status('report')).toBe('queued');
    expect(useStore.getState().runs.activeRunId).toBe('run_x');
  });
});
