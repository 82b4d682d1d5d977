/** A minimal ustar writer for building image root filesystems in memory (docker import takes a tar). */

export interface TarEntry {
  path: string;
  /** file contents; absent for directories and symlinks */
  data?: Buffer;
  mode?: number;
  type?: 'file' | 'dir' | 'symlink';
  linkTarget?: string;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(e: TarEntry): Buffer {
  const h = Buffer.alloc(512, 0);
  const type = e.type ?? 'file';
  let name = e.path.replace(/^\/+/, '');
  if (type === 'dir' && !name.endsWith('/')) name += '/';
  if (Buffer.byteLength(name) > 100) throw new Error(`tar path too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(e.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(type === 'file' ? (e.data?.length ?? 0) : 0, 12), 124, 12, 'ascii');
  h.write(octal(Math.floor(Date.now() / 1000), 12), 136, 12, 'ascii');
  h.fill(' ', 148, 156);
  h.write(type === 'dir' ? '5' : type === 'symlink' ? '2' : '0', 156, 1, 'ascii');
  if (type === 'symlink') h.write(e.linkTarget ?? '', 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return h;
}

export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    if ((e.type ?? 'file') === 'file' && e.data && e.data.length > 0) {
      parts.push(e.data);
      const pad = (512 - (e.data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}
