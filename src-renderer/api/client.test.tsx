/** The window's API client in Chromium: events from IPC are checked against the contract. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../src-shared/api/contract';
import type { SluiceBridge } from '../../src-shared/bridge';
import type { AppCommand } from '../../src-shared/desktop';
import { createClient } from './client';

afterEach(() => {
  delete window.sluice;
  vi.restoreAllMocks();
});

describe('events over IPC', () => {
  it('reach subscribers when they fit the contract, and are skipped with a warning when not', () => {
    let send: (e: unknown) => void = () => undefined;
    const bridge: SluiceBridge = {
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (l) => {
        send = l;
        return () => undefined;
      },
      pathForFile: () => '',
      pickFolder: async () => null,
      saveFile: async () => ({ ok: true, value: null }),
      showFile: async () => ({ ok: true, value: null }),
    };
    window.sluice = bridge;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const got: ApiEvent[] = [];
    const client = createClient();
    expect(client.kind).toBe('ipc');
    client.subscribe((e) => got.push(e));

    const run = 'run_20261202T180000Z_ab12cd';
    send({ type: 'run.state', run_id: run, status: 'running' });
    send({ type: 'run.state', run_id: run, status: 'exploded' });
    send({ type: 'task.state', run_id: run, pipeline: 'a' });
    send('not an event');
    send({ type: 'task.state', run_id: run, pipeline: 'a', status: 'upstream_failed' });

    expect(got).toEqual([
      { type: 'run.state', run_id: run, status: 'running' },
      { type: 'task.state', run_id: run, pipeline: 'a', status: 'upstream_failed' },
    ]);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it("hand the desktop shell's commands to their own listener, checked, and never as events", () => {
    let send: (e: unknown) => void = () => undefined;
    window.sluice = {
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (l) => {
        send = l;
        return () => undefined;
      },
      pathForFile: () => '',
      pickFolder: async () => null,
      saveFile: async () => ({ ok: true, value: null }),
      showFile: async () => ({ ok: true, value: null }),
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const events: ApiEvent[] = [];
    const commands: AppCommand[] = [];
    createClient().subscribe(
      (e) => events.push(e),
      (c) => commands.push(c),
    );

    send({ type: 'app.command', command: 'view', view: 'graph' });
    send({ type: 'app.command', command: 'view', view: 'settings' });
    send({ type: 'app.command', command: 'import', path: '/data/Sales.csv' });
    send({ type: 'project.opened', dir: '/p', name: 'p' });

    expect(commands).toEqual([
      { type: 'app.command', command: 'view', view: 'graph' },
      { type: 'app.command', command: 'import', path: '/data/Sales.csv' },
    ]);
    expect(events).toEqual([{ type: 'project.opened', dir: '/p', name: 'p' }]);
    // The one outside the protocol is said, not acted on.
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('previews over HTTP', () => {
  it('a newer preview of a pipeline drops the older request in the browser, with a conflict', async () => {
    const signals: { path: string; signal: AbortSignal }[] = [];
    vi.spyOn(window, 'fetch').mockImplementation((input, init) => {
      const signal = init!.signal!;
      signals.push({ path: new URL(String(input)).pathname, signal });
      // Answers only when told to; an abort rejects it as a real fetch does.
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        setTimeout(() => resolve(new Response('{"rows":[]}', { status: 200 })), 50);
      });
    });
    const client = createClient();
    expect(client.kind).toBe('http');
    const older = client.call('pipelines.preview', { name: 'a', step: 1 });
    const other = client.call('pipelines.preview', { name: 'b', step: 1 });
    const newer = client.call('pipelines.preview', { name: 'a', step: 2 });
    await expect(older).rejects.toMatchObject({ code: 'conflict' });
    await expect(newer).resolves.toEqual({ rows: [] });
    await expect(other).resolves.toEqual({ rows: [] });
    expect(signals.map((s) => [s.path, s.signal.aborted])).toEqual([
      ['/api/pipelines/a/preview', true],
      ['/api/pipelines/b/preview', false],
      ['/api/pipelines/a/preview', false],
    ]);
  });
});
