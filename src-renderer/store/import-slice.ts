import type { KeyCheck } from '../../src-shared/api/contract';
import type { ImportItem, ImportSlice, Slice } from './types';
import { ApiCallError } from '../api/client';
import { message } from './common';
import { keepBothName } from '../features/import/import-facts';

let nextId = 1;
const isCsv = (name: string): boolean => /\.(csv|tsv|txt)$/i.test(name);
const notCsv = (name: string): string => `${name} is not a CSV file (.csv, .tsv or .txt)`;
/** The dropped files, until they are imported (File objects stay out of the store's data). */
const dropped = new Map<number, File>();
/** How long the key stays unchanged before the service is asked about it (a few clicks' time). */
export const KEY_CHECK_DELAY_MS = 300;
/** Per card: the pending question about its key, and the number of the latest one asked. */
const keyTimers = new Map<number, ReturnType<typeof setTimeout>>();
const keyAsked = new Map<number, number>();

export const importSlice: Slice<ImportSlice> = (set, get) => {
  const update = (id: number, change: Partial<ImportItem>): void =>
    set({ imports: get().imports.map((i) => (i.id === id ? { ...i, ...change } : i)) });
  const item = (id: number): ImportItem => get().imports.find((i) => i.id === id)!;

  /**
   * Asks, a moment after the key last changed, whether it is unique over every row; a newer
   * question replaces an older one, whose answer is then dropped.
   */
  const checkKey = (id: number): void => {
    clearTimeout(keyTimers.get(id));
    keyTimers.delete(id);
    const n = (keyAsked.get(id) ?? 0) + 1;
    keyAsked.set(id, n);
    const it = item(id);
    const key = it.key;
    if (!key?.length || !it.path || !it.inspection) return update(id, { keyCheck: null });
    update(id, { keyCheck: { key, result: null, error: null } });
    const answer = (result: KeyCheck | null, error: string | null): void => {
      if (keyAsked.get(id) === n && get().imports.some((i) => i.id === id))
        update(id, { keyCheck: { key, result, error } });
    };
    keyTimers.set(
      id,
      setTimeout(() => {
        keyTimers.delete(id);
        get()
          .client.call('imports.inspect', { path: it.path!, rows: 1, key, ...it.settings })
          .then(
            (r) => answer(r.key_check, null),
            (e: unknown) => answer(null, message(e)),
          );
      }, KEY_CHECK_DELAY_MS),
    );
  };

  const inspect = async (id: number): Promise<void> => {
    const it = item(id);
    update(id, { busy: true, error: null });
    try {
      const inspection = await get().client.call('imports.inspect', {
        path: it.path!,
        rows: 50,
        ...it.settings,
      });
      update(id, {
        inspection,
        busy: false,
        // The user's key stays; otherwise the suggested one.
        key: it.inspection ? it.key : inspection.suggested_key,
        name: it.inspection ? it.name : inspection.name,
      });
      checkKey(id);
    } catch (e) {
      update(id, { busy: false, error: message(e) });
    }
  };

  const upload = async (id: number, replace: boolean): Promise<void> => {
    // A file a pipeline reads is surely there: ask before sending it, not after a refusal
    // (which the browser would also log as a failed request).
    const known = get().project?.pipelines.some((p) => p.source === item(id).file);
    if (!replace && known) return update(id, { busy: false, conflict: true });
    update(id, { busy: true, error: null, conflict: false });
    try {
      const path = await get().client.importable(dropped.get(id)!, replace);
      dropped.delete(id);
      update(id, { path });
      await inspect(id);
    } catch (e) {
      // Never replace a file in the data folder without asking.
      const conflict = e instanceof ApiCallError && e.code === 'conflict';
      update(id, { busy: false, error: message(e), conflict });
    }
  };

  /** New cards in the import dialog, one per file, busy until read. */
  const begin = (names: string[]): ImportItem[] => {
    const added: ImportItem[] = names.map((file) => ({
      id: nextId++,
      file,
      path: null,
      inspection: null,
      settings: {},
      key: null,
      name: '',
      busy: true,
      error: null,
      conflict: false,
      created: false,
      keyCheck: null,
    }));
    set({ imports: [...get().imports, ...added] });
    return added;
  };

  return {
    imports: [],
    async resolveConflict(id, how) {
      if (how === 'replace') return upload(id, true);
      if (how === 'keep-both') {
        // The first free name of Sales-2.csv, Sales-3.csv, …: the file there stays as it is.
        const file = dropped.get(id)!;
        update(id, { busy: true, error: null, conflict: false });
        for (let n = 2; n < 100; n++) {
          const name = keepBothName(item(id).file, n);
          try {
            const path = await get().client.importable(
              new File([file], name, { type: file.type }),
              false,
            );
            dropped.delete(id);
            update(id, { path, file: name });
            return inspect(id);
          } catch (e) {
            if (!(e instanceof ApiCallError && e.code === 'conflict'))
              return update(id, { busy: false, error: message(e) });
          }
        }
        return update(id, { busy: false, error: 'no free name for a second copy of this file' });
      }
      dropped.delete(id);
      update(id, { path: item(id).file, conflict: false, error: null });
      await inspect(id);
    },
    async importFiles(files) {
      const added = begin(files.map((f) => f.name));
      await Promise.all(
        added.map(async (it, i) => {
          const file = files[i];
          if (!isCsv(file.name)) return update(it.id, { busy: false, error: notCsv(file.name) });
          dropped.set(it.id, file);
          await upload(it.id, false);
        }),
      );
    },
    async importPaths(paths) {
      // Read where it is, as a file dropped on the desktop window is (bridge.pathForFile).
      const added = begin(paths.map((p) => p.split(/[\\/]/).pop() || p));
      await Promise.all(
        added.map(async (it, i) => {
          if (!isCsv(it.file)) return update(it.id, { busy: false, error: notCsv(it.file) });
          update(it.id, { path: paths[i] });
          await inspect(it.id);
        }),
      );
    },
    async adjustImport(id, change) {
      update(id, change);
      if (change.settings) await inspect(id);
      else if ('key' in change) checkKey(id);
    },
    async createPipeline(id) {
      const it = item(id);
      update(id, { busy: true, error: null });
      try {
        await get().client.call('imports.create', {
          path: it.path!,
          name: it.name,
          key: it.key,
          ...it.settings,
        });
        update(id, { busy: false, created: true });
        await get().loadProject();
      } catch (e) {
        update(id, { busy: false, error: message(e) });
      }
    },
    closeImports: () => {
      dropped.clear();
      for (const t of keyTimers.values()) clearTimeout(t);
      keyTimers.clear();
      keyAsked.clear();
      set({ imports: [] });
    },
  };
};
