/**
 * Images for tests and benchmarks, built locally (no registry is reachable in CI): a root filesystem with
 * Debian's static busybox and its applet links (sh, httpd, nc, wget, ...), imported into Docker. It is also
 * tagged `busybox:1.36` so the manifests in examples/ run unchanged without a pull.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { buildTar, type TarEntry } from '../kubelet/tar-writer';

export const TEST_IMAGE = 'skiff-test/busybox:1';
export const EXAMPLE_IMAGE_TAGS = ['busybox:1.36'];

function busyboxPath(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (existsSync(p)) return p;
  throw new Error('busybox is not installed: apt-get install busybox-static');
}

export function busyboxRootfs(): Buffer {
  const bin = busyboxPath();
  const applets = execFileSync(bin, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  const entries: TarEntry[] = [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', data: readFileSync(bin), mode: 0o755 },
    ...applets.map((a): TarEntry => ({ path: `bin/${a}`, type: 'symlink', linkTarget: 'busybox' })),
    { path: 'usr', type: 'dir' },
    { path: 'usr/bin', type: 'dir' },
    { path: 'sbin', type: 'dir' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'proc', type: 'dir' },
    { path: 'sys', type: 'dir' },
    { path: 'dev', type: 'dir' },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'var', type: 'dir' },
    { path: 'var/www', type: 'dir' },
    { path: 'var/www/index.html', data: Buffer.from('hello from skiff-test\n') },
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n') },
    { path: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
  ];
  return buildTar(entries);
}

async function hasImage(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Build (once) and return the test image reference. */
export async function ensureTestImage(docker: Docker): Promise<string> {
  if (!(await hasImage(docker, TEST_IMAGE))) {
    const [repo, tag] = TEST_IMAGE.split(':');
    const stream = await docker.importImage(Readable.from([busyboxRootfs()]) as unknown as NodeJS.ReadableStream, { repo, tag, changes: ['CMD ["/bin/sh"]', 'ENV PATH=/bin:/usr/bin:/sbin'] } as unknown as object);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  }
  for (const t of EXAMPLE_IMAGE_TAGS) {
    if (await hasImage(docker, t)) continue;
    const [repo, tag] = t.split(':');
    await docker.getImage(TEST_IMAGE).tag({ repo, tag });
  }
  return TEST_IMAGE;
}

/** Whether a Docker engine answers (integration tests skip with a reason when it does not). */
export async function dockerAvailable(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}
