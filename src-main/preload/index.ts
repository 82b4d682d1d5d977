import { contextBridge, ipcRenderer } from 'electron';
import type { SkiffBridge } from '../contract/bridge';
import type { CallOutput } from '../contract/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../contract/ipc-channel';
import type { CallError, Result } from '../contract/result';

interface Listener {
  onEvent: (event: unknown) => void;
  onError?: (error: CallError) => void;
}

const listeners = new Map<string, Listener>();
let nextId = 0;

ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return;
  const { id } = message as { id?: unknown };
  if (typeof id !== 'string') return;
  const listener = listeners.get(id);
  if (listener === undefined) return;
  if ('error' in message) {
    listeners.delete(id);
    listener.onError?.((message as { error: CallError }).error);
  } else if ('event' in message) {
    listener.onEvent((message as { event: unknown }).event);
  }
});

// The renderer gets this one object and nothing else: no ipcRenderer, no channel names, no Node.
const bridge: SkiffBridge = {
  invoke: (call, ...input) =>
    ipcRenderer.invoke(INVOKE_CHANNEL, call, input[0]) as Promise<Result<CallOutput<typeof call>>>,
  subscribe: (name, input, onEvent, onError) => {
    const id = `s${++nextId}`;
    listeners.set(id, { onEvent: onEvent as (event: unknown) => void, onError });
    ipcRenderer.send(SUBSCRIBE_CHANNEL, id, name, input);
    return () => {
      if (listeners.delete(id)) ipcRenderer.send(UNSUBSCRIBE_CHANNEL, id);
    };
  },
};

contextBridge.exposeInMainWorld('skiff', bridge);
