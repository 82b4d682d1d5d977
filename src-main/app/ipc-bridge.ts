import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL } from '../contract/ipc-channel';
import { ErrorCode, fail } from '../contract/result';
import { isAppUrl } from './app-origin';
import type { CallDispatcher } from './call-dispatcher';
import type { SubscriptionHandlers, SubscriptionHost } from './subscription-host';
import { createSubscriptionHost } from './subscription-host';

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

/**
 * Binds the contract's subscriptions to IPC: one host per window, disposed when the window navigates
 * (reload) or is destroyed, so nothing outlives the page that asked for it. Returns the disposer.
 */
export function bindSubscriptionsToIpc(
  ipcMain: Pick<IpcMain, 'on' | 'removeAllListeners'>,
  appOrigin: string,
  handlers: SubscriptionHandlers,
  onHandlerError?: (name: string, error: unknown) => void,
): () => void {
  const hosts = new Map<number, SubscriptionHost>();

  function hostFor(sender: WebContents): SubscriptionHost {
    const existing = hosts.get(sender.id);
    if (existing !== undefined) return existing;
    const host = createSubscriptionHost(
      handlers,
      (message) => {
        if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, message);
      },
      onHandlerError,
    );
    hosts.set(sender.id, host);
    const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
      if (details.isMainFrame && !details.isSameDocument) drop();
    };
    const drop = (): void => {
      sender.off('did-start-navigation', onNavigation);
      sender.off('destroyed', drop);
      if (hosts.get(sender.id) !== host) return;
      hosts.delete(sender.id);
      host.disposeAll();
    };
    sender.once('destroyed', drop);
    sender.on('did-start-navigation', onNavigation);
    return host;
  }

  ipcMain.on(SUBSCRIBE_CHANNEL, (event: IpcMainEvent, id: unknown, name: unknown, input: unknown) => {
    if (!isTrustedSender(event, appOrigin)) return;
    hostFor(event.sender).subscribe(id, name, input);
  });
  ipcMain.on(UNSUBSCRIBE_CHANNEL, (event: IpcMainEvent, id: unknown) => {
    if (!isTrustedSender(event, appOrigin)) return;
    hosts.get(event.sender.id)?.unsubscribe(id);
  });
  return () => {
    ipcMain.removeAllListeners(SUBSCRIBE_CHANNEL);
    ipcMain.removeAllListeners(UNSUBSCRIBE_CHANNEL);
    for (const host of hosts.values()) host.disposeAll();
    hosts.clear();
  };
}
