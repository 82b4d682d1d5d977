import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL } from '../contract/ipc-channel';
import { bindContractToIpc, isTrustedSender } from './ipc-bridge';

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
