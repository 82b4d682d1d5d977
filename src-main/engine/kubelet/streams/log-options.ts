/** PodLogOptions from the query of GET pods/{name}/log, validated as the API server does (ValidatePodLogOptions). */
import { forbidden, invalid as invalidField } from '../../registry/field-errors';
import { invalid, type FieldCause } from '../../status';
import { boolParam, intParam, timeParam, type PreciseTime } from './stream-params';

export interface LogOptions {
  /** undefined: the pod's default container */
  container: string | undefined;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number | undefined;
  limitBytes: number | undefined;
  /** from sinceSeconds (relative to now) or sinceTime */
  since: PreciseTime | undefined;
}

/** Throws 400 for unparsable values and 422 `PodLogOptions "<pod>" is invalid` for out-of-range ones. */
export function parseLogOptions(query: URLSearchParams, podName: string, nowMs: number = Date.now()): LogOptions {
  const container = query.get('container') ?? '';
  const opts = {
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
    tailLines: intParam(query, 'tailLines'),
    limitBytes: intParam(query, 'limitBytes'),
  };
  const sinceSeconds = intParam(query, 'sinceSeconds');
  const sinceTime = timeParam(query, 'sinceTime');
  const causes: FieldCause[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) causes.push(invalidField('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) causes.push(invalidField('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    causes.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    causes.push(invalidField('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  }
  if (causes.length > 0) throw invalid('', 'PodLogOptions', podName, causes);
  let since = sinceTime;
  if (sinceSeconds !== undefined) {
    const ms = nowMs - sinceSeconds * 1000;
    since = { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
  }
  return { container: container === '' ? undefined : container, ...opts, since };
}
