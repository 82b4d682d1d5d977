import { describe, expect, it } from 'vitest';
import type { SkiffBridge } from '../src-main/contract/bridge';
import { loadAppVersion } from './app-version';

function bridgeAnswering(answer: () => Promise<unknown>): SkiffBridge {
  return { invoke: answer } as unknown as SkiffBridge;
}

describe('loadAppVersion', () => {
  it('reads the version from the backend', async () => {
    const bridge = bridgeAnswering(() => Promise.resolve({ ok: true, result: { version: '0.1.0' } }));
    await expect(loadAppVersion(bridge)).resolves.toEqual({ status: 'ready', version: '0.1.0' });
  });

  it('is unavailable without a bridge (web mode)', async () => {
    await expect(loadAppVersion(undefined)).resolves.toEqual({ status: 'unavailable', reason: 'no desktop backend' });
  });

  it('is unavailable when the call fails or the bridge throws', async () => {
    const refusing = bridgeAnswering(() =>
      Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'caller is not the Skiff window' } }),
    );
    await expect(loadAppVersion(refusing)).resolves.toEqual({
      status: 'unavailable',
      reason: 'caller is not the Skiff window',
    });
    const broken = bridgeAnswering(() => Promise.reject(new Error('IPC closed')));
    await expect(loadAppVersion(broken)).resolves.toEqual({ status: 'unavailable', reason: 'IPC closed' });
  });
});
