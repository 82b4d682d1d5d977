/** The one IPC channel every contract call travels on (preload → main). */
export const INVOKE_CHANNEL = 'skiff:invoke';
