// The renderer gets a checked invoke, a subscribe, the path of a dropped file, the folder
// picker, and saving or showing a report or output file. Never ipcRenderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  INVOKE_CHANNEL,
  EVENT_CHANNEL,
  PICK_FOLDER_CHANNEL,
  SAVE_FILE_CHANNEL,
  SHOW_FILE_CHANNEL,
  type ApiResult,
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
  saveFile: (request, open) =>
    ipcRenderer.invoke(SAVE_FILE_CHANNEL, request, open === true) as Promise<
      ApiResult<string | null>
    >,
  showFile: (output) => ipcRenderer.invoke(SHOW_FILE_CHANNEL, output) as Promise<ApiResult<null>>,
};

contextBridge.exposeInMainWorld('sluice', bridge);
