/** Compact ages like kubectl's: 45s, 12m, 3h, 5d, 2y. */
export function formatAge(createdAt: string | null, now: number): string {
  if (createdAt === null) return '—';
  const then = Date.parse(createdAt);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

export type Health = 'ok' | 'progress' | 'warning' | 'error' | 'muted';

/** The colour class of a pod status as kubectl prints it. */
export function podStatusHealth(status: string): Health {
  if (status === 'Running') return 'ok';
  if (status === 'Completed' || status === 'Succeeded' || status === 'Terminating') return 'muted';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || status.startsWith('Init:')) return 'progress';
  if (/BackOff|Err|Error|Failed|OOMKilled|Invalid|Unknown|Evicted/.test(status)) return 'error';
  return 'warning';
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
