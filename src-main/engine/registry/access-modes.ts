/** Persistent volume access modes: the supported set and their short table form ("RWO,RWX"). */
import { asArray } from './json-access';

/** sorted, as sets.List prints them in NotSupported errors */
export const SUPPORTED_ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** helper.GetAccessModesAsString: fixed order RWO, ROX, RWX, RWOP. */
export function accessModesString(modes: unknown): string {
  const set = new Set((asArray(modes) ?? []).filter((m): m is string => typeof m === 'string'));
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}
