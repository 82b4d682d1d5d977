import type { Result } from './result';
import type { SubscriptionMessage } from './subscription-message';
import { SUBSCRIPTION_ID } from './subscription-message';
import type { Validator } from './validate';
import { exactObject, integer, nonEmptyString, oneOf, taggedUnion } from './validate';

/** The WebSocket path of web mode (the token travels as `?token=`). */
export const WS_PATH = '/ws';

/** Client → server frames (JSON text). */
export type ClientFrame =
  | { type: 'call'; id: number; call: string; input: unknown }
  | { type: 'subscribe'; id: string; name: string; input: unknown }
  | { type: 'unsubscribe'; id: string };

/** Server → client frames (JSON text). */
export type ServerFrame =
  | { type: 'result'; id: number; result: Result<unknown> }
  | ({ type: 'subscription' } & SubscriptionMessage);

const anything: Validator<unknown> = (input) => ({ ok: true, result: input });
const subscriptionId = nonEmptyString(64, SUBSCRIPTION_ID, 'a subscription id');
const callOrSubscriptionName = nonEmptyString(100);

/** Parses one frame from a client; the call/subscription input is validated later by its own schema. */
export const clientFrame: Validator<ClientFrame> = taggedUnion<ClientFrame>('type', {
  call: exactObject<{ type: 'call'; id: number; call: string; input: unknown }>({
    type: oneOf(['call']),
    id: integer(0, Number.MAX_SAFE_INTEGER),
    call: callOrSubscriptionName,
    input: anything,
  }),
  subscribe: exactObject<{ type: 'subscribe'; id: string; name: string; input: unknown }>({
    type: oneOf(['subscribe']),
    id: subscriptionId,
    name: callOrSubscriptionName,
    input: anything,
  }),
  unsubscribe: exactObject<{ type: 'unsubscribe'; id: string }>({ type: oneOf(['unsubscribe']), id: subscriptionId }),
});
