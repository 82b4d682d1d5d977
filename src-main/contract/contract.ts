import type { Validator } from './validate';
import { noInput } from './validate';

/** One call of the contract: the validator its input must pass, and its output type (type level only). */
export interface CallSpec<I, O> {
  readonly input: Validator<I>;
  /** Never set at runtime: it only carries the output type for `CallOutput`. */
  readonly output?: O;
}

function defineCall<I, O>(input: Validator<I>): CallSpec<I, O> {
  return { input };
}

/** What `app.version` returns. */
export interface AppVersion {
  version: string;
}

const callSpecs = {
  'app.version': defineCall<undefined, AppVersion>(noInput),
} as const;

export type CallName = keyof typeof callSpecs;
export type CallInput<C extends CallName> = (typeof callSpecs)[C] extends CallSpec<infer I, unknown> ? I : never;
export type CallOutput<C extends CallName> = Exclude<(typeof callSpecs)[C]['output'], undefined>;

/**
 * Every call the backend answers, keyed `domain.method`. Typed as a mapped type so that
 * `calls[c]` with a generic `c` keeps its input and output tied to that call.
 */
export const calls: { readonly [C in CallName]: CallSpec<CallInput<C>, CallOutput<C>> } = callSpecs;

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}
