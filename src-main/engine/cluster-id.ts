/** A state dir's cluster id: scopes every Docker object the engine creates (containers, networks, volumes). */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadOrCreateClusterId(stateDir: string): string {
  const file = join(stateDir, 'cluster-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[a-z0-9]{8,32}$/.test(id)) return id;
  }
  const id = randomBytes(5).toString('hex');
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
