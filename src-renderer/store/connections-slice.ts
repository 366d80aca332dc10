/** Saved PostgreSQL connections: the Connections dialog, and the target runs load into. */
import type { ConnectionsSlice, Slice } from './types';
import { message } from './common';

export const connectionsSlice: Slice<ConnectionsSlice> = (set, get) => {
  const patch = (p: Partial<ConnectionsSlice['connections']>): void =>
    set({ connections: { ...get().connections, ...p } });

  return {
    connections: {
      open: false,
      list: null,
      keychain: false,
      error: null,
      busy: false,
      test: null,
      testing: false,
    },
    runTarget: null,
    runEngine: null,

    openConnections() {
      patch({ open: true, error: null, test: null });
      void get().loadConnections();
    },

    closeConnections: () => patch({ open: false, error: null, test: null }),

    async loadConnections() {
      try {
        const r = await get().client.call('connections.list');
        patch({ list: r.connections, keychain: r.keychain });
        // A target that is no longer saved would fail the next run: back to the recipes'.
        const target = get().runTarget;
        if (target && !r.connections.some((c) => c.name === target)) set({ runTarget: null });
      } catch (e) {
        patch({ error: message(e) });
      }
    },

    async saveConnection(p) {
      patch({ busy: true, error: null });
      try {
        await get().client.call('connections.save', p);
        await get().loadConnections();
        return true;
      } catch (e) {
        patch({ error: message(e) });
        return false;
      } finally {
        patch({ busy: false });
      }
    },

    async removeConnection(name) {
      patch({ busy: true, error: null });
      try {
        await get().client.call('connections.remove', { name });
        await get().loadConnections();
      } catch (e) {
        patch({ error: message(e) });
      } finally {
        patch({ busy: false });
      }
    },

    async testConnection(p) {
      patch({ testing: true, test: null, error: null });
      try {
        patch({ test: await get().client.call('connections.test', p) });
      } catch (e) {
        patch({ error: message(e) });
      } finally {
        patch({ testing: false });
      }
    },

    clearConnectionTest: () => patch({ test: null }),

    setRunTarget: (runTarget) => set({ runTarget }),
    setRunEngine: (runEngine) => set({ runEngine }),
  };
};
