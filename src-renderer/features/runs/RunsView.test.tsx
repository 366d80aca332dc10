/** A run's page in Chromium: the tasks' timeline with live rows/s, the progress bar, the log's filters. */
import { beforeEach, describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { RunDetail } from './RunsView';
import { useStore } from '../../store';
import type { LogLine, RunDetail as Detail } from '../../store/types';

const at = (s: number): string => new Date(Date.UTC(2026, 10, 28, 9, 0, s)).toISOString();

const detail: Detail = {
  run: {
    id: 'run_20261128T090000Z_abc123',
    project: 'shop',
    status: 'running',
    run_date: '2026-11-28',
    trigger: 'manual',
    started_at: at(0),
    finished_at: null,
    pipelines: ['customers', 'orders'],
    planned: ['customers', 'orders', 'report'],
    rows_in: 0,
    rows_out: 0,
    rows_rejected: 0,
    target: null,
    engine: null,
  },
  tasks: [
    {
      pipeline: 'customers',
      status: 'succeeded',
      started_at: at(0),
      finished_at: at(4),
      error: null,
      rows_in: 15266,
      rows_out: 15266,
      rows_rejected: 0,
      worker: 1,
      attempts: 1,
      steps: [],
    },
    {
      pipeline: 'orders',
      status: 'running',
      started_at: at(1),
      finished_at: null,
      error: null,
      rows_in: 0,
      rows_out: 0,
      rows_rejected: 0,
      worker: 2,
      attempts: 1,
      steps: [],
    },
  ],
  // Planned, not begun: the run was started elsewhere, its plan comes from the run store.
  queued: ['report'],
};

const logs: LogLine[] = [
  { ts: at(0), level: 'info', pipeline: null, message: 'run of shop for 2026-11-28' },
  { ts: at(1), level: 'info', pipeline: 'orders', message: 'reading orders.csv' },
  { ts: at(2), level: 'warn', pipeline: 'orders', message: '12 orders without a customer' },
  { ts: at(4), level: 'error', pipeline: 'report', message: 'report.csv is locked' },
];

beforeEach(() => {
  useStore.setState({
    runs: { ...useStore.getState().runs, selected: detail, logs, rejects: null },
    live: { orders: { status: 'running', rows: 123456, rps: 98765.4, stage: 'reading' } },
  });
});

describe('a run', () => {
  it('shows its tasks on a timeline, the running one with rows and rows/s, and the share done', async () => {
    const screen = await render(<RunDetail />);
    const timeline = screen.getByTestId('timeline');
    await expect.element(timeline).toHaveTextContent(/customers.*15,266 rows/);
    await expect.element(timeline).toHaveTextContent(/orders.*123,456 rows · 98,765\/s/);
    await expect.element(screen.getByRole('button', { name: 'Cancel' })).toBeVisible();
    // The one not begun waits in the timeline as queued, whoever started the run.
    await expect.element(screen.getByTestId('task-report')).toHaveTextContent(/report\s*queued/);
    // One of the three planned pipelines has finished.
    const bar = document.querySelector<HTMLElement>('.progress > div')!;
    expect(parseFloat(bar.style.width)).toBeCloseTo(100 / 3, 2);
  });

  it('filters its log by level and by text', async () => {
    const screen = await render(<RunDetail />);
    const log = screen.getByTestId('log');
    await expect.element(screen.getByText('4 lines')).toBeVisible();
    await screen.getByLabelText('log level').selectOptions('warn');
    await expect.element(screen.getByText('2 lines')).toBeVisible();
    await expect.element(log).not.toHaveTextContent('reading orders.csv');
    await expect.element(log).toHaveTextContent('ERROR [report] report.csv is locked');
    await screen.getByLabelText('log level').selectOptions('');
    await screen.getByLabelText('search the log').fill('ORDERS');
    await expect.element(screen.getByText('2 lines')).toBeVisible();
    await expect.element(log).toHaveTextContent('12 orders without a customer');
    await expect.element(log).not.toHaveTextContent('locked');
  });

  it('offers Resume and Re-run, not Cancel, once the run has ended', async () => {
    useStore.setState({
      runs: {
        ...useStore.getState().runs,
        selected: {
          ...detail,
          run: { ...detail.run, status: 'failed', finished_at: at(9) },
          queued: [],
        },
      },
    });
    const screen = await render(<RunDetail />);
    await expect.element(screen.getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Re-run' })).toBeVisible();
    expect(screen.container.textContent).not.toContain('Cancel');
    expect(document.querySelector('.progress')).toBeNull();
  });
});
