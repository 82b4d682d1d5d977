/**
 * Writes a volume payload into a directory the way the kubelet's AtomicWriter does, so a container reading
 * the bind-mounted directory never sees a half-written update:
 *
 *   <dir>/..2024_05_01_10_00_00.Ab12Cd/   the files of one version
 *   <dir>/..data -> ..2024_05_01_10_00_00.Ab12Cd   swapped atomically (rename of a fresh symlink)
 *   <dir>/key -> ..data/key               one stable link per top-level name
 *
 * The directory itself is never replaced, so an existing bind mount of it sees every new version.
 */
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Payload } from './volume-payload';

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';

/** A payload path must stay inside the volume: relative, no '..' element, no leading '..'. */
export function payloadPathError(path: string): string | undefined {
  if (path === '') return 'invalid path: must not be empty';
  if (path.startsWith('/')) return `invalid path: must be relative path: ${path}`;
  if (path.split('/').includes('..')) return `invalid path: must not contain '..': ${path}`;
  if (path.startsWith('..')) return `invalid path: must not start with '..': ${path}`;
  return undefined;
}

/** `..2006_01_02_15_04_05.` in UTC, the prefix of a version directory. */
export function versionDirPrefix(now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

function topLevel(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The relative paths of every file under `root` (the current version), for comparison. */
async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

/** Whether the version directory already holds exactly this payload (contents and modes). */
async function sameAsCurrent(versionDir: string, payload: Payload): Promise<boolean> {
  let current: string[];
  try {
    current = await listFiles(versionDir);
  } catch {
    return false;
  }
  if (current.length !== payload.size) return false;
  for (const path of current) {
    const file = payload.get(path);
    if (!file) return false;
    const full = join(versionDir, path);
    // a file the engine may not read back (mode 0000 without root) counts as changed
    const [data, st] = await Promise.all([readFile(full), stat(full)]).catch(() => [undefined, undefined] as const);
    if (!data || !st || (st.mode & 0o777) !== file.mode || !data.equals(file.data)) return false;
  }
  return true;
}

async function currentVersion(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA_DIR_NAME));
  } catch {
    return undefined;
  }
}

/**
 * Make `dir` show `payload`. Returns false when it already did (nothing written). Throws for an invalid payload
 * path, before touching anything.
 */
export async function writeAtomically(dir: string, payload: Payload, now: Date = new Date()): Promise<boolean> {
  for (const path of payload.keys()) {
    const error = payloadPathError(path);
    if (error) throw new Error(error);
  }
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const oldVersion = await currentVersion(dir);
  const oldFiles = oldVersion ? await listFiles(join(dir, oldVersion)).catch((): string[] => []) : [];
  if (oldVersion && (await sameAsCurrent(join(dir, oldVersion), payload))) return false;

  const versionDir = await mkdtemp(join(dir, versionDirPrefix(now)));
  await chmod(versionDir, 0o755);
  for (const [path, file] of payload) {
    const full = join(versionDir, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data);
    await chmod(full, file.mode);
  }

  const tmpLink = join(dir, DATA_DIR_TMP_NAME);
  await rm(tmpLink, { force: true });
  await symlink(basename(versionDir), tmpLink);
  await rename(tmpLink, join(dir, DATA_DIR_NAME));

  // Stable user-visible links are made after the swap, so none ever dangles.
  const visible = new Set([...payload.keys()].map(topLevel));
  for (const name of visible) {
    const link = join(dir, name);
    if (!(await exists(link))) await symlink(join(DATA_DIR_NAME, name), link);
  }
  for (const name of new Set(oldFiles.map(topLevel))) {
    if (!visible.has(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
  // The previous version, and any version an interrupted write left behind.
  const newVersion = basename(versionDir);
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') && entry !== DATA_DIR_NAME && entry !== newVersion && /^\.\.\d{4}_/.test(entry)) {
      await rm(join(dir, entry), { recursive: true, force: true });
    }
  }
  return true;
}
