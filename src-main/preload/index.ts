import { contextBridge, ipcRenderer } from 'electron';
import type { SkiffBridge } from '../contract/bridge';
import type { CallOutput } from '../contract/contract';
import { INVOKE_CHANNEL } from '../contract/ipc-channel';
import type { Result } from '../contract/result';

// The renderer gets this one object and nothing else: no ipcRenderer, no channel names, no Node.
const bridge: SkiffBridge = {
  invoke: (call, ...input) =>
    ipcRenderer.invoke(INVOKE_CHANNEL, call, input[0]) as Promise<Result<CallOutput<typeof call>>>,
};

contextBridge.exposeInMainWorld('skiff', bridge);
