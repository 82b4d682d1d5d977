/**
 * hostPath `type` checks (pkg/volume/hostpath in the kubelet): DirectoryOrCreate and FileOrCreate create what is
 * missing, the other types must already be there. The message for a missing or mistyped path is the kubelet's
 * `hostPath type check failed: /x is not a directory`.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

const DESCRIPTIONS: Record<string, [string, (s: Stats) => boolean]> = {
  Directory: ['directory', (s) => s.isDirectory()],
  File: ['file', (s) => s.isFile()],
  Socket: ['socket file', (s) => s.isSocket()],
  CharDevice: ['character device', (s) => s.isCharacterDevice()],
  BlockDevice: ['block device', (s) => s.isBlockDevice()],
};

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** Check (and for the *OrCreate types, create) `path`. Returns the error text, or undefined when it is fine. */
export async function checkHostPathType(path: string, type: string): Promise<string | undefined> {
  let st = await statOrUndefined(path);
  let expected = type;
  switch (type) {
    case '':
      // No check; a missing path becomes a directory, as container runtimes do for a missing bind source.
      if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
      return undefined;
    case 'DirectoryOrCreate':
      if (!st) {
        await mkdir(path, { recursive: true, mode: 0o755 });
        st = await statOrUndefined(path);
      }
      expected = 'Directory';
      break;
    case 'FileOrCreate':
      if (!st) {
        await (await open(path, 'a', 0o644)).close();
        st = await statOrUndefined(path);
      }
      expected = 'File';
      break;
  }
  const check = DESCRIPTIONS[expected];
  if (!check) return `${type} is an invalid volume type`;
  const [description, matches] = check;
  if (!st || !matches(st)) return `hostPath type check failed: ${path} is not a ${description}`;
  return undefined;
}
