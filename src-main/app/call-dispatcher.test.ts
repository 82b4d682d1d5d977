import { describe, expect, it, vi } from 'vitest';
import type { CallHandlers } from './call-dispatcher';
import { createCallDispatcher } from './call-dispatcher';
import { calls } from '../contract/contract';

/** Every handler present (as the type demands), only the ones a test names doing anything. */
function handlers(some: Partial<CallHandlers>): CallHandlers {
  const all = Object.fromEntries(
    Object.keys(calls).map((name) => [
      name,
      () => {
        throw new Error(`${name} is not part of this test`);
      },
    ]),
  );
  return { ...all, ...some } as CallHandlers;
}

describe('createCallDispatcher', () => {
  it('answers a known call with valid input', async () => {
    const dispatch = createCallDispatcher(handlers({ 'app.version': () => ({ version: '1.2.3' }) }));
    await expect(dispatch('app.version', undefined)).resolves.toEqual({ ok: true, result: { version: '1.2.3' } });
  });

  it('rejects unknown calls, including inherited property names', async () => {
    const handler = vi.fn(() => ({ version: '1' }));
    const dispatch = createCallDispatcher(handlers({ 'app.version': handler }));
    for (const call of ['app.nope', '__proto__', 'constructor', 7, null]) {
      await expect(dispatch(call, undefined)).resolves.toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects invalid input before the handler runs', async () => {
    const handler = vi.fn(() => ({ version: '1' }));
    const dispatch = createCallDispatcher(handlers({ 'app.version': handler }));
    await expect(dispatch('app.version', { sneaky: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns a handler failure into an error value and reports it', async () => {
    const onError = vi.fn();
    const failure = new Error('disk on fire');
    const dispatch = createCallDispatcher(
      handlers({
        'app.version': () => {
          throw failure;
        },
      }),
      onError,
    );
    await expect(dispatch('app.version', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' },
    });
    expect(onError).toHaveBeenCalledWith('app.version', failure);
  });
});
