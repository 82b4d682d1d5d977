import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNEL } from '../contract/ipc-channel';
import { ErrorCode, fail } from '../contract/result';
import { isAppUrl } from './app-origin';
import type { CallDispatcher } from './call-dispatcher';

/**
 * Only the app's own top-level frame may call: not an iframe, not a page the window was somehow
 * navigated to. A frame that is gone (or throws when read) is not trusted.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appOrigin: string): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isAppUrl(frame.url, appOrigin);
  } catch {
    return false;
  }
}

/** Binds the contract to IPC; returns the disposer that unbinds it. */
export function bindContractToIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  appOrigin: string,
  dispatch: CallDispatcher,
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, call: unknown, input: unknown) => {
    if (!isTrustedSender(event, appOrigin)) return fail(ErrorCode.forbidden, 'caller is not the Skiff window');
    return dispatch(call, input);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
