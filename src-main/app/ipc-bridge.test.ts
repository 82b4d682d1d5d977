import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { INVOKE_CHANNEL, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../contract/ipc-channel';
import { bindContractToIpc, bindSubscriptionsToIpc, isTrustedSender } from './ipc-bridge';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function frameEvent(url: string, isTopLevel = true): Pick<IpcMainInvokeEvent, 'senderFrame'> {
  return { senderFrame: { url, parent: isTopLevel ? null : {} } } as unknown as Pick<IpcMainInvokeEvent, 'senderFrame'>;
}

describe('isTrustedSender', () => {
  it('trusts the top-level frame of the app origin', () => {
    expect(isTrustedSender(frameEvent('app://skiff/index.html'), 'app://skiff')).toBe(true);
  });

  it('refuses other origins, subframes and missing or disposed frames', () => {
    expect(isTrustedSender(frameEvent('https://example.com/'), 'app://skiff')).toBe(false);
    expect(isTrustedSender(frameEvent('app://skiff/index.html', false), 'app://skiff')).toBe(false);
    expect(isTrustedSender({ senderFrame: null }, 'app://skiff')).toBe(false);
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(isTrustedSender(disposed, 'app://skiff')).toBe(false);
  });
});

describe('bindContractToIpc', () => {
  function fakeIpcMain(): { ipcMain: IpcMain; handlers: Map<string, Handler> } {
    const handlers = new Map<string, Handler>();
    const ipcMain = {
      handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    };
    return { ipcMain: ipcMain as unknown as IpcMain, handlers };
  }

  it('dispatches calls from the app window and refuses everyone else', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispatch = vi.fn(() => Promise.resolve({ ok: true as const, result: 'answer' }));
    bindContractToIpc(ipcMain, 'app://skiff', dispatch);
    const handler = handlers.get(INVOKE_CHANNEL);

    await expect(handler?.(frameEvent('app://skiff/index.html'), 'app.version', undefined)).resolves.toEqual({
      ok: true,
      result: 'answer',
    });
    expect(dispatch).toHaveBeenCalledWith('app.version', undefined);

    await expect(handler?.(frameEvent('https://evil.example/'), 'app.version', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('unbinds with its disposer', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unbind = bindContractToIpc(ipcMain, 'app://skiff', vi.fn());
    unbind();
    expect(handlers.size).toBe(0);
  });
});

describe('bindSubscriptionsToIpc', () => {
  type Listener = (event: unknown, ...args: unknown[]) => void;

  function setup() {
    const listeners = new Map<string, Listener>();
    const ipcMain = {
      on: (channel: string, listener: Listener) => listeners.set(channel, listener),
      removeAllListeners: (channel: string) => listeners.delete(channel),
    } as unknown as IpcMain;
    const sent: unknown[] = [];
    const sender = Object.assign(new EventEmitter(), { id: 7, isDestroyed: () => false, send: (_c: string, m: unknown) => sent.push(m) });
    const event = (url: string) => ({ ...frameEvent(url), sender });
    const disposed: string[] = [];
    const handlers = {
      onEngineStatus: vi.fn(() => () => disposed.push('engine')),
      onContexts: vi.fn((_i: unknown, emit: (l: unknown) => void) => {
        emit({ contexts: [] });
        return () => disposed.push('contexts');
      }),
      onResources: vi.fn(() => () => disposed.push('resources')),
      onLogs: vi.fn(() => () => {}),
      onExec: vi.fn(() => () => {}),
    };
    const unbind = bindSubscriptionsToIpc(ipcMain, 'app://skiff', handlers as unknown as Parameters<typeof bindSubscriptionsToIpc>[2]);
    return { listeners, sender, sent, event, disposed, handlers, unbind };
  }

  it('starts subscriptions for the app window, forwards events, and ignores other senders', () => {
    const { listeners, sent, event, handlers } = setup();
    listeners.get(SUBSCRIBE_CHANNEL)?.(event('https://evil.example/'), 's1', 'onContexts', undefined);
    expect(handlers.onContexts).not.toHaveBeenCalled();
    listeners.get(SUBSCRIBE_CHANNEL)?.(event('app://skiff/index.html'), 's1', 'onContexts', undefined);
    expect(sent).toEqual([{ id: 's1', event: { contexts: [] } }]);
    listeners.get(SUBSCRIBE_CHANNEL)?.(event('app://skiff/index.html'), 's2', 'onResources', { context: 'c', kind: 'nope' });
    expect(sent[1]).toMatchObject({ id: 's2', error: { code: 'invalid-input' } });
    expect(handlers.onResources).not.toHaveBeenCalled();
  });

  it('disposes a window’s subscriptions on unsubscribe, reload and destruction', () => {
    const { listeners, sender, event, disposed, unbind } = setup();
    const app = event('app://skiff/index.html');
    listeners.get(SUBSCRIBE_CHANNEL)?.(app, 'a', 'onEngineStatus', undefined);
    listeners.get(SUBSCRIBE_CHANNEL)?.(app, 'b', 'onContexts', undefined);
    listeners.get(UNSUBSCRIBE_CHANNEL)?.(event('https://evil.example/'), 'a');
    expect(disposed).toEqual([]);
    listeners.get(UNSUBSCRIBE_CHANNEL)?.(app, 'a');
    expect(disposed).toEqual(['engine']);
    sender.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(disposed).toEqual(['engine', 'contexts']);
    listeners.get(SUBSCRIBE_CHANNEL)?.(app, 'c', 'onEngineStatus', undefined);
    sender.emit('destroyed');
    expect(disposed).toEqual(['engine', 'contexts', 'engine']);
    // each host removes its window listeners when it goes, so reloads do not pile them up
    expect(sender.listenerCount('did-start-navigation')).toBe(0);
    expect(sender.listenerCount('destroyed')).toBe(0);
    unbind();
    expect(listeners.size).toBe(0);
  });
});
