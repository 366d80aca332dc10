// The renderer gets a checked invoke, a subscribe, and the path of a dropped file. Never ipcRenderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { INVOKE_CHANNEL, EVENT_CHANNEL, type SluiceBridge } from '../../src-shared/bridge';

const bridge: SluiceBridge = {
  invoke: (method, payload) => {
    if (typeof method !== 'string') return Promise.reject(new Error('method must be a string'));
    return ipcRenderer.invoke(INVOKE_CHANNEL, { method, payload });
  },
  subscribe: (listener) => {
    const handler = (_e: IpcRendererEvent, event: unknown): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('sluice', bridge);
