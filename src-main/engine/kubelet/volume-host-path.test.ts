import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHostPathType } from './volume-host-path';

describe('checkHostPathType', () => {
  let root: string;
  let server: Server;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hostpath-'));
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'file'), 'x');
    server = createServer();
    await new Promise<void>((r) => server.listen(join(root, 'sock'), r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('Directory: must exist and be a directory', async () => {
    expect(await checkHostPathType(join(root, 'dir'), 'Directory')).toBeUndefined();
    expect(await checkHostPathType(join(root, 'missing'), 'Directory')).toBe(`hostPath type check failed: ${join(root, 'missing')} is not a directory`);
    expect(await checkHostPathType(join(root, 'file'), 'Directory')).toBe(`hostPath type check failed: ${join(root, 'file')} is not a directory`);
  });

  it('DirectoryOrCreate: creates missing directories (0755), refuses a file', async () => {
    const p = join(root, 'made', 'deep');
    expect(await checkHostPathType(p, 'DirectoryOrCreate')).toBeUndefined();
    expect(statSync(p).isDirectory()).toBe(true);
    expect(statSync(p).mode & 0o777).toBe(0o755);
    expect(await checkHostPathType(join(root, 'file'), 'DirectoryOrCreate')).toMatch(/is not a directory$/);
  });

  it('File and FileOrCreate', async () => {
    expect(await checkHostPathType(join(root, 'file'), 'File')).toBeUndefined();
    expect(await checkHostPathType(join(root, 'nofile'), 'File')).toMatch(/nofile is not a file$/);
    expect(await checkHostPathType(join(root, 'dir'), 'File')).toMatch(/is not a file$/);
    expect(await checkHostPathType(join(root, 'created'), 'FileOrCreate')).toBeUndefined();
    expect(statSync(join(root, 'created')).isFile()).toBe(true);
    expect(await checkHostPathType(join(root, 'dir'), 'FileOrCreate')).toMatch(/is not a file$/);
  });

  it('Socket, CharDevice, BlockDevice', async () => {
    expect(await checkHostPathType(join(root, 'sock'), 'Socket')).toBeUndefined();
    expect(await checkHostPathType(join(root, 'file'), 'Socket')).toMatch(/is not a socket file$/);
    expect(await checkHostPathType('/dev/null', 'CharDevice')).toBeUndefined();
    expect(await checkHostPathType(join(root, 'file'), 'CharDevice')).toMatch(/is not a character device$/);
    expect(await checkHostPathType('/dev/null', 'BlockDevice')).toMatch(/is not a block device$/);
  });

  it('no type: no check, a missing path becomes a directory', async () => {
    expect(await checkHostPathType(join(root, 'file'), '')).toBeUndefined();
    expect(await checkHostPathType(join(root, 'auto'), '')).toBeUndefined();
    expect(existsSync(join(root, 'auto'))).toBe(true);
  });

  it('rejects unknown types', async () => {
    expect(await checkHostPathType(join(root, 'dir'), 'Weird')).toBe('Weird is an invalid volume type');
  });
});
