import { describe, expect, it, vi } from 'vitest';
import type { SubscriptionMessage } from '../contract/subscription-message';
import type { SubscriptionHandlers } from './subscription-host';
import { createSubscriptionHost, MAX_SUBSCRIPTIONS_PER_CLIENT } from './subscription-host';

function handlersWith(some: Partial<SubscriptionHandlers>): SubscriptionHandlers {
  const refuse = (): never => {
    throw new Error('not in this test');
  };
  return { onEngineStatus: refuse, onContexts: refuse, onResources: refuse, onLogs: refuse, onExec: refuse, onPodMetrics: refuse, onPortForward: refuse, ...some };
}

describe('createSubscriptionHost', () => {
  it('starts a valid subscription, forwards its events and disposes it once', () => {
    const sent: SubscriptionMessage[] = [];
    const dispose = vi.fn();
    const host = createSubscriptionHost(
      handlersWith({
        onContexts: (_input, emit) => {
          emit({ contexts: [], current: null, sources: [], problems: [] });
          return dispose;
        },
      }),
      (m) => sent.push(m),
    );
    host.subscribe('a', 'onContexts', undefined);
    expect(sent).toEqual([{ id: 'a', event: { contexts: [], current: null, sources: [], problems: [] } }]);
    expect(host.size).toBe(1);
    host.unsubscribe('a');
    host.unsubscribe('a');
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(host.size).toBe(0);
  });

  it('refuses invalid input, unknown names and re-used ids before any handler runs', () => {
    const sent: SubscriptionMessage[] = [];
    const handler = vi.fn(() => () => {});
    const host = createSubscriptionHost(handlersWith({ onResources: handler, onContexts: handler }), (m) => sent.push(m));
    host.subscribe('a', 'onResources', { context: 'c', kind: 'widgets' });
    host.subscribe('b', 'toString', undefined);
    host.subscribe('c', 'onContexts', undefined);
    host.subscribe('c', 'onContexts', undefined);
    host.subscribe('not an id!', 'onContexts', undefined);
    expect(sent).toEqual([
      { id: 'a', error: { code: 'invalid-input', message: expect.stringContaining('kind') as unknown } },
      { id: 'b', error: { code: 'unknown-call', message: 'unknown subscription "toString"' } },
      { id: 'c', error: { code: 'invalid-input', message: 'subscription id c is already in use' } },
    ]);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('stops forwarding after dispose and reports a throwing handler', () => {
    const sent: SubscriptionMessage[] = [];
    let emit: ((e: never) => void) | undefined;
    const onError = vi.fn();
    const host = createSubscriptionHost(
      handlersWith({
        onEngineStatus: (_i, e) => {
          emit = e as (e: never) => void;
          return () => {};
        },
        onContexts: () => {
          throw new Error('kubeconfig exploded');
        },
      }),
      (m) => sent.push(m),
      onError,
    );
    host.subscribe('x', 'onEngineStatus', undefined);
    host.disposeAll();
    emit?.({} as never);
    expect(sent).toEqual([]);
    host.subscribe('y', 'onContexts', undefined);
    expect(sent).toEqual([{ id: 'y', error: { code: 'internal', message: 'kubeconfig exploded' } }]);
    expect(onError).toHaveBeenCalledWith('onContexts', expect.any(Error));
    expect(host.size).toBe(0);
  });

  it('bounds the number of subscriptions per client', () => {
    const sent: SubscriptionMessage[] = [];
    const host = createSubscriptionHost(handlersWith({ onContexts: () => () => {} }), (m) => sent.push(m));
    for (let i = 0; i <= MAX_SUBSCRIPTIONS_PER_CLIENT; i++) host.subscribe(`s${i}`, 'onContexts', undefined);
    expect(host.size).toBe(MAX_SUBSCRIPTIONS_PER_CLIENT);
    expect(sent).toEqual([{ id: `s${MAX_SUBSCRIPTIONS_PER_CLIENT}`, error: { code: 'forbidden', message: expect.stringContaining('too many') as unknown } }]);
  });
});
