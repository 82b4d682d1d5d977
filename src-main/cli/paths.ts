/** Where Skiff keeps its state by default: the platform's per-user data directory. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SKIFF_STATE_DIR) return resolve(env.SKIFF_STATE_DIR);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Skiff', 'engine');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Skiff', 'engine');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'skiff', 'engine');
}
