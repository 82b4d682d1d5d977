/** The one IPC channel every contract call travels on (preload → main). */
export const INVOKE_CHANNEL = 'skiff:invoke';
/** preload → main: start a subscription (id chosen by the preload, name, input). */
export const SUBSCRIBE_CHANNEL = 'skiff:subscribe';
/** preload → main: stop a subscription by id. */
export const UNSUBSCRIBE_CHANNEL = 'skiff:unsubscribe';
/** main → preload: a subscription message (an event, or the error that ended it). */
export const EVENT_CHANNEL = 'skiff:event';
