import type { SkiffBridge } from '../src-main/contract/bridge';

/** What the header shows about the running version. */
export type AppVersionState =
  | { status: 'loading' }
  | { status: 'ready'; version: string }
  | { status: 'unavailable'; reason: string };

/** Asks the backend for its version; never throws, because a missing version must not break the page. */
export async function loadAppVersion(bridge: SkiffBridge | undefined): Promise<AppVersionState> {
  if (bridge === undefined) return { status: 'unavailable', reason: 'no desktop backend' };
  try {
    const answer = await bridge.invoke('app.version');
    return answer.ok
      ? { status: 'ready', version: answer.result.version }
      : { status: 'unavailable', reason: answer.error.message };
  } catch (error) {
    return { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
}
