/** The column profile in Chromium: the profile as profiles.get types it, shown without casts. */
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import type { Result } from '../../../src-shared/api/contract';
import { ProfilePanel } from './ProfilePanel';
import { useStore } from '../../store';
import { columnProfile } from '../../testing/fixtures';

const profile: Result<'profiles.get'> = {
  rows: 15266,
  suggested_key: ['CustomerKey'],
  source: {
    path: '/data/Customers.csv',
    encoding: 'windows-1252',
    encoding_reason: 'not valid UTF-8',
    delimiter: ',',
    newline: '\r\n',
    header: true,
    bytes: 2_000_000,
    compression: null,
    invalid_bytes: 0,
    warnings: [],
  },
  columns: [
    columnProfile({
      name: 'CustomerKey',
      type: 'int',
      distinct_count: 15266,
      min: '301',
      max: '2099937',
      histogram: [
        { from: '301', to: '1000000', count: 7000 },
        { from: '1000001', to: '2099937', count: 8266 },
      ],
    }),
    columnProfile({
      name: 'Gender',
      type: 'string',
      confidence: 0.995,
      null_count: 1526,
      distinct_count: 2,
      distinct_capped: true,
      min: 'Female',
      max: 'Male',
      top_values: [
        { value: 'Male', count: 7748 },
        { value: 'Female', count: 5992 },
      ],
    }),
  ],
  rejected_lines: 0,
  blank_lines: 0,
};

beforeEach(() => {
  useStore.setState({
    project: {
      name: 'shop',
      dir: '/p',
      data_dir: '/p/data',
      pipelines: [
        {
          name: 'customers',
          description: null,
          file: 'pipelines/customers.yaml',
          depends_on: [],
          upstream: [],
          source: 'Customers.csv',
          outputs: [],
          last_run: null,
        },
      ],
    },
    editor: {
      name: 'customers',
      file: 'pipelines/customers.yaml',
      saved: '',
      yaml: '',
      past: [],
      future: [],
      steps: [],
      issues: [],
      selected: null,
      saving: false,
      error: null,
    },
    profile: { path: 'Customers.csv', result: profile, error: null, column: 'Gender' },
  });
});

describe('the column profile', () => {
  it("shows the chosen column's type, fit, empty share, distinct count and top values", async () => {
    const screen = await render(<ProfilePanel />);
    const panel = screen.getByTestId('profile');
    await expect.element(panel).toHaveTextContent('Column profile of Customers.csv (15,266 rows)');
    await expect.element(panel).toHaveTextContent(/type: string \(99\.5% fit\)/);
    await expect.element(panel).toHaveTextContent(/empty: 10\.0%/);
    await expect.element(panel).toHaveTextContent(/distinct: ≈2/);
    await expect.element(panel).toHaveTextContent(/min: Female.*max: Male/);
    await expect.element(panel).toHaveTextContent(/Top values.*Male.*7,748.*Female.*5,992/);
  });

  it('lists every column with its type, and shows a histogram for one that has it', async () => {
    const screen = await render(<ProfilePanel />);
    const key = screen.getByRole('button', { name: /CustomerKey/ });
    await expect.element(key).toHaveTextContent('CustomerKeyint');
    await userEvent.click(key);
    expect(useStore.getState().profile?.column).toBe('CustomerKey');
    const panel = screen.getByTestId('profile');
    await expect.element(panel).toHaveTextContent(/type: int \(100\.0% fit\)/);
    await expect.element(panel).toHaveTextContent(/Histogram.*301 – 1000000.*7,000/);
  });
});
