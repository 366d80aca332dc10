/**
 * The whole window in Chromium, driven as the desktop shell drives it: commands arrive on the
 * bridge's event channel (a fake preload here; the window's code is all real) and act on the
 * views, the recipe's history, imports, runs, the appearance and the title.
 */
import { EditorView } from '@codemirror/view';
import { beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import type { ColumnProfile } from '../../../src-shared/api/contract';
import type { ApiResult, SluiceBridge } from '../../../src-shared/bridge';
import { createClient } from '../../api/client';
import { App } from '../../App';
import { useStore } from '../../store';
import { columnProfile } from '../../testing/fixtures';
import '../../styles.css';

const RECIPE = `name: sales_clean
source:
  path: Sales.csv
steps:
  - step: trim
  - step: case
    columns: [Country]
    to: lower
`;

const PIPELINE = {
  name: 'sales_clean',
  description: null,
  file: 'pipelines/sales_clean.yaml',
  depends_on: [],
  upstream: [],
  source: 'Sales.csv',
  outputs: [],
  last_run: null,
};

const column = (name: string, type: ColumnProfile['type']) =>
  columnProfile({ name, type, distinct_count: 2 });

/** Answers as the engine would for what these tests touch; anything else is an honest error. */
function answer(method: string, params: Record<string, unknown>): unknown {
  switch (method) {
    case 'project.get':
      return {
        name: 'Retail demo',
        dir: '/p/retail',
        data_dir: '/p/retail/data',
        pipelines: [PIPELINE],
      };
    case 'pipelines.get':
      return { name: 'sales_clean', file: PIPELINE.file, yaml: RECIPE, recipe: null };
    case 'runs.list':
      return { items: [], page: 1, page_size: 20, total: 0, has_next: false };
    case 'connections.list':
      return {
        keychain: true,
        connections: [
          {
            name: 'warehouse',
            host: 'db.example',
            port: 5432,
            database: 'dw',
            user: 'etl',
            sslmode: 'disable',
            url: 'postgres://etl@db.example:5432/dw',
            password_kept: true,
            password_env: 'SLUICE_PASSWORD_WAREHOUSE',
            password_env_set: false,
            shadows_project: false,
          },
        ],
      };
    case 'projects.recent':
      return { current: '/p/retail', items: [{ dir: '/p/retail', name: 'Retail demo' }] };
    case 'imports.inspect':
      return {
        path: params.path,
        name: 'sales',
        exists: true,
        encoding: 'utf-8',
        encoding_reason: 'valid UTF-8',
        delimiter: ',',
        header: true,
        rows: 2,
        rejected_lines: 0,
        suggested_key: ['Order'],
        columns: [column('Order', 'int'), column('Country', 'string')],
        sample: {
          columns: [
            { name: 'Order', type: 'integer' },
            { name: 'Country', type: 'text' },
          ],
          rows: [
            [1, 'Italy'],
            [2, 'France'],
          ],
          lines: [2, 3],
          total: 2,
        },
        yaml: 'name: sales\n',
      };
    default:
      return undefined;
  }
}

let calls: { method: string; params: Record<string, unknown> }[] = [];
let send: (data: unknown) => void = () => undefined;

const bridge: SluiceBridge = {
  async invoke(method, payload) {
    const params = (payload ?? {}) as Record<string, unknown>;
    calls.push({ method, params });
    const value = answer(method, params);
    return (
      value === undefined
        ? { ok: false, error: { code: 'not_found', message: `${method}: not in this test` } }
        : { ok: true, value }
    ) as ApiResult<unknown>;
  },
  subscribe(listener) {
    send = listener;
    return () => {
      send = () => undefined;
    };
  },
  pathForFile: () => '',
  pickFolder: async () => null,
  saveFile: async () => ({ ok: true, value: null }),
  showFile: async () => ({ ok: true, value: null }),
};

/** What the desktop shell sends: `{ type: 'app.command', command, ... }` on the event channel. */
const command = (c: Record<string, unknown>): void => send({ type: 'app.command', ...c });
const yaml = (): string | undefined => useStore.getState().editor?.yaml;
/** The code editor's text (its DOM holds only the lines on screen). */
function editorText(): string | null {
  const el = document.querySelector<HTMLElement>('[data-testid=recipe-editor]');
  return el ? (EditorView.findFromDOM(el)?.state.doc.toString() ?? null) : null;
}

beforeEach(() => {
  localStorage.clear();
  calls = [];
  window.sluice = bridge;
  useStore.setState({
    client: createClient(),
    view: 'pipelines',
    editor: null,
    imports: [],
    appearance: 'system',
    projects: { ...useStore.getState().projects, open: false, creating: false },
    runs: { ...useStore.getState().runs, activeRunId: null, selected: null },
    connections: { ...useStore.getState().connections, open: false },
    runTarget: null,
    runEngine: null,
  });
});

async function renderApp(): Promise<Awaited<ReturnType<typeof render>>> {
  const screen = await render(<App />);
  await expect.element(screen.getByTestId('project-name')).toHaveTextContent('Retail demo');
  return screen;
}

describe('desktop commands in the window', () => {
  it('view switches the view shown', async () => {
    const screen = await renderApp();
    command({ command: 'view', view: 'graph' });
    await expect
      .element(screen.getByRole('tab', { name: 'Graph' }))
      .toHaveAttribute('aria-selected', 'true');
    command({ command: 'view', view: 'runs' });
    await expect
      .element(screen.getByRole('tab', { name: 'Runs' }))
      .toHaveAttribute('aria-selected', 'true');
    expect(useStore.getState().view).toBe('runs');
  });

  it('undo reverts a recipe edit and redo restores it; the title marks it unsaved meanwhile', async () => {
    const screen = await renderApp();
    await screen.getByTestId('pipeline-sales_clean').click();
    await expect.poll(editorText).toBe(RECIPE);
    expect(document.title).toBe('sales_clean — Retail demo — Sluice');

    await screen.getByLabelText('disable step 1').click();
    const edited = yaml();
    expect(edited).toContain('enabled: false');
    await expect.poll(() => document.title).toBe('● sales_clean — Retail demo — Sluice');

    (document.activeElement as HTMLElement | null)?.blur();
    command({ command: 'undo' });
    await expect.poll(editorText).toBe(RECIPE);
    await expect.poll(() => document.title).toBe('sales_clean — Retail demo — Sluice');
    command({ command: 'redo' });
    await expect.poll(editorText).toBe(edited!);
    await expect.poll(() => document.title).toBe('● sales_clean — Retail demo — Sluice');
  });

  it("undo while typing in a field undoes the field's text, not the recipe's last edit", async () => {
    const screen = await renderApp();
    await screen.getByTestId('pipeline-sales_clean').click();
    await expect.element(screen.getByText('Step 1: trim')).toBeVisible();
    await screen.getByTestId('step-2').click();
    await screen.getByLabelText('to', { exact: true }).selectOptions('upper');
    expect(yaml()).toContain('to: upper');
    // A column typed into the list's picker is its own until Enter adds it as a chip.
    const columns = screen.getByRole('combobox', { name: 'columns' });
    await columns.click();
    // One keystroke, one step of the field's own undo (Chromium's, as Ctrl+Z there).
    await userEvent.keyboard('S');
    await expect.element(columns).toHaveValue('S');
    command({ command: 'undo' });
    await expect.element(columns).toHaveValue('');
    expect(yaml()).toContain('to: upper');
    command({ command: 'redo' });
    await expect.element(columns).toHaveValue('S');
    expect(yaml()).toContain('to: upper');
  });

  it('import opens the import flow on that file, read where it is', async () => {
    const screen = await renderApp();
    command({ command: 'import', path: '/home/ana/exports/Sales.csv' });
    const dialog = screen.getByRole('dialog', { name: /^Import (a file|\d+ files)$/ });
    await expect.element(dialog).toBeVisible();
    await expect
      .element(dialog.getByTestId('import-Sales.csv'))
      .toHaveTextContent('2 rows · 2 columns');
    await expect.element(dialog.getByLabelText('pipeline name')).toHaveValue('sales');
    expect(calls.find((c) => c.method === 'imports.inspect')?.params.path).toBe(
      '/home/ana/exports/Sales.csv',
    );
    // Nothing was uploaded: the desktop engine reads the file in place.
    expect(calls.some((c) => c.method === 'files.upload')).toBe(false);
  });

  it('appearance dark and light override the system, on <html>, and are remembered', async () => {
    const screen = await renderApp();
    const bg = (): string => getComputedStyle(document.body).backgroundColor;
    command({ command: 'appearance', appearance: 'dark' });
    await expect.poll(() => document.documentElement.getAttribute('data-appearance')).toBe('dark');
    expect(bg()).toBe('rgb(22, 24, 28)');
    expect(document.body.getAttribute('data-ag-theme-mode')).toBe('dark');
    expect(localStorage.getItem('sluice.appearance')).toBe('dark');
    // The View menu chooses it: the header offers no second control (AppearanceSelect.test.tsx
    // has the browser tab's).
    expect(screen.getByLabelText('appearance').query()).toBeNull();

    command({ command: 'appearance', appearance: 'light' });
    await expect.poll(bg).toBe('rgb(255, 255, 255)');
    expect(document.documentElement.getAttribute('data-appearance')).toBe('light');
    expect(localStorage.getItem('sluice.appearance')).toBe('light');
  });

  it('while the title marks unsaved edits, leaving the page asks first (beforeunload), and not after', async () => {
    const screen = await renderApp();
    const leave = (): boolean => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    await screen.getByTestId('pipeline-sales_clean').click();
    await expect.poll(editorText).toBe(RECIPE);
    expect(leave()).toBe(false);
    await screen.getByLabelText('disable step 1').click();
    await expect.poll(() => document.title).toBe('● sales_clean — Retail demo — Sluice');
    // In the desktop app this is what makes the main process ask Leave or Stay.
    expect(leave()).toBe(true);
    (document.activeElement as HTMLElement | null)?.blur();
    command({ command: 'undo' });
    await expect.poll(() => document.title).toBe('sales_clean — Retail demo — Sluice');
    expect(leave()).toBe(false);
  });

  it('new-project opens the picker to start one; runs start and cancel as the buttons do', async () => {
    const screen = await renderApp();
    command({ command: 'new-project' });
    const dialog = screen.getByRole('dialog', { name: 'start a new project' });
    await expect.element(dialog).toBeVisible();
    await dialog.getByLabelText('project folder').fill('/p/new');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => calls.find((c) => c.method === 'projects.open')?.params)
      .toEqual({ dir: '/p/new', create: true });
    await dialog.getByRole('button', { name: 'Close' }).click();

    command({ command: 'run-all' });
    await expect
      .poll(() => calls.find((c) => c.method === 'runs.start')?.params)
      .toEqual({ only: false });
    expect(useStore.getState().view).toBe('runs');

    const run = 'run_20261202T180000Z_ab12cd';
    useStore.setState({ runs: { ...useStore.getState().runs, activeRunId: run } });
    command({ command: 'cancel-run' });
    await expect
      .poll(() => calls.find((c) => c.method === 'runs.cancel')?.params)
      .toEqual({ run_id: run });
  });

  it('connections opens the Connections dialog; a run goes to the saved connection picked', async () => {
    const screen = await renderApp();
    command({ command: 'connections' });
    const dialog = screen.getByRole('dialog', { name: 'connections' });
    await expect.element(dialog.getByTestId('connections-list')).toHaveTextContent('warehouse');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await screen.getByRole('button', { name: 'run options' }).click();
    await screen.getByRole('menuitemradio', { name: 'Into warehouse' }).click();
    command({ command: 'run-all' });
    await expect
      .poll(() => calls.find((c) => c.method === 'runs.start')?.params)
      .toEqual({ only: false, target: 'postgres', connection: 'warehouse' });
  });

  it('the engine picked in the run options goes with the run: steps in PostgreSQL, or here', async () => {
    const screen = await renderApp();
    const options = screen.getByRole('button', { name: 'run options' });
    await expect.element(options).toHaveTextContent(/^▾$/);
    await options.click();
    await expect
      .element(screen.getByRole('menuitemradio', { name: 'As each recipe says' }))
      .toHaveAttribute('aria-checked', 'true');
    await screen.getByRole('menuitemradio', { name: 'In PostgreSQL' }).click();
    // The choice shows on the button, and its tooltip says where.
    await expect.element(options).toHaveTextContent('in PostgreSQL');
    await expect
      .element(options)
      .toHaveAttribute('title', expect.stringMatching(/steps run in PostgreSQL/));
    command({ command: 'run-all' });
    await expect
      .poll(() => calls.find((c) => c.method === 'runs.start')?.params)
      .toEqual({ only: false, engine: 'postgres' });
    calls = [];
    await options.click();
    await screen.getByRole('menuitemradio', { name: 'Here, on this computer' }).click();
    command({ command: 'run-all' });
    await expect
      .poll(() => calls.find((c) => c.method === 'runs.start')?.params)
      .toEqual({ only: false, engine: 'local' });
  });
});
