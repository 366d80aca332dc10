// The renderer gets a checked invoke, a subscribe, the path of a dropped file and the folder
// picker. Never ipcRenderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  INVOKE_CHANNEL,
  EVENT_CHANNEL,
  PICK_FOLDER_CHANNEL,
  type SluiceBridge,
} from '../../src-shared/bridge';

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
  pickFolder: () => ipcRenderer.invoke(PICK_FOLDER_CHANNEL) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('sluice', bridge);
