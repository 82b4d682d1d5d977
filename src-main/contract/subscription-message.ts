import type { CallError } from './result';

/** Subscription ids are chosen by the client (preload or WebSocket client), unique per connection. */
export const SUBSCRIPTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What the backend pushes for one subscription: an event, or the error that ended it. */
export type SubscriptionMessage = { id: string; event: unknown } | { id: string; error: CallError };
