/** A run's outputs and reports: the Outputs view, report exports, output downloads. */
import { message } from './common';
import type { OutputsSlice, Slice } from './types';

export const outputsSlice: Slice<OutputsSlice> = (set, get) => {
  const patch = (p: Partial<OutputsSlice['outputs']>): void =>
    set({ outputs: { ...get().outputs, ...p } });

  /** Runs `f` with a busy label; its error is shown in the view. */
  const busy = async (label: string, f: () => Promise<void>): Promise<void> => {
    patch({ busy: label, error: null, saved: null });
    try {
      await f();
    } catch (e) {
      patch({ error: message(e) });
    } finally {
      patch({ busy: null });
    }
  };

  return {
    outputs: { runId: null, list: null, opened: null, busy: null, error: null, saved: null },

    loadOutputs: (runId = get().outputs.runId) =>
      busy('Loading outputs…', async () => {
        const list = await get().client.call('outputs.list', runId ? { run_id: runId } : {});
        const was = get().outputs.opened;
        // Keep the open output when the new list has it (the same pipeline and place).
        const opened = was
          ? (list.outputs.find(
              (o) =>
                o.run_id === was.run_id && o.pipeline === was.pipeline && o.output === was.output,
            ) ?? null)
          : null;
        patch({ runId, list, opened });
      }),

    openOutput: (opened) => patch({ opened, error: null }),

    async outputRows(offset, limit, sort) {
      const { opened } = get().outputs;
      if (!opened) return { columns: [], rows: [], total: 0 };
      return get().client.call('outputs.page', {
        run_id: opened.run_id,
        pipeline: opened.pipeline,
        output: opened.output,
        offset,
        limit,
        ...(sort ? { sort: sort.column, desc: sort.desc } : {}),
      });
    },

    // Opened once saved in the desktop app; in a browser HTML opens in a tab, the rest download.
    exportReport: (runId, format, open = true) =>
      busy(`Making the ${format === 'xlsx' ? 'Excel' : format.toUpperCase()} report…`, async () => {
        const saved = await get().client.getFile(
          { method: 'reports.download', params: { run_id: runId, format } },
          open,
        );
        patch({ saved });
      }),

    downloadOutput: (o, format) =>
      busy(`Saving ${o.pipeline} as ${format === 'xlsx' ? 'Excel' : 'CSV'}…`, async () => {
        const saved = await get().client.getFile(
          {
            method: 'outputs.download',
            params: { run_id: o.run_id, pipeline: o.pipeline, format, output: o.output },
          },
          false,
        );
        patch({ saved });
      }),

    showOutput: (o) =>
      busy('', async () => {
        if (get().client.showFile)
          await get().client.showFile!({
            run_id: o.run_id,
            pipeline: o.pipeline,
            output: o.output,
          });
      }),
  };
};
