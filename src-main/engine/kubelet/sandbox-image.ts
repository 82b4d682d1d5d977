/**
 * The pod sandbox image, made locally so the engine never needs a registry for its own machinery: a root
 * filesystem holding one tiny static ELF program, /pause, that sleeps until killed (the role of Kubernetes'
 * pause container). The program is a few hand-assembled instructions for x86-64 or arm64.
 */
import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { buildTar } from './tar-writer';

export const SANDBOX_IMAGE = 'skiff.local/pause:1';

// x86-64: loop { pause() }         mov eax, 34 ; syscall ; jmp loop
const X86_64_CODE = Buffer.from([0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7]);
// arm64: loop { ppoll(NULL, 0, NULL, NULL) }   mov x0..x3, #0 ; mov x8, #73 ; svc #0 ; b loop
const ARM64_WORDS = [0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd2800928, 0xd4000001, 0x17fffffa];

function arm64Code(): Buffer {
  const b = Buffer.alloc(ARM64_WORDS.length * 4);
  ARM64_WORDS.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
  return b;
}

/** A static ELF64 executable with one PT_LOAD segment holding `code` right after the headers. */
export function pauseElf(arch: string): Buffer {
  const isArm = arch === 'arm64' || arch === 'aarch64';
  if (!isArm && arch !== 'x64' && arch !== 'amd64' && arch !== 'x86_64') throw new Error(`no sandbox program for architecture ${arch}`);
  const code = isArm ? arm64Code() : X86_64_CODE;
  const base = 0x400000;
  const headers = 64 + 56;
  const size = headers + code.length;
  const b = Buffer.alloc(size, 0);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // 64-bit
  b[5] = 1; // little endian
  b[6] = 1; // ELF version
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(isArm ? 0xb7 : 0x3e, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(base + headers), 24); // entry
  b.writeBigUInt64LE(64n, 32); // phoff
  b.writeBigUInt64LE(0n, 40); // shoff
  b.writeUInt32LE(0, 48);
  b.writeUInt16LE(64, 52); // ehsize
  b.writeUInt16LE(56, 54); // phentsize
  b.writeUInt16LE(1, 56); // phnum
  b.writeUInt16LE(64, 58); // shentsize
  // program header
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(5, 68); // R + X
  b.writeBigUInt64LE(0n, 72); // offset
  b.writeBigUInt64LE(BigInt(base), 80); // vaddr
  b.writeBigUInt64LE(BigInt(base), 88); // paddr
  b.writeBigUInt64LE(BigInt(size), 96); // filesz
  b.writeBigUInt64LE(BigInt(size), 104); // memsz
  b.writeBigUInt64LE(0x1000n, 112); // align
  code.copy(b, headers);
  return b;
}

/** Make sure the sandbox image exists in Docker, building it from memory if not. */
export async function ensureSandboxImage(docker: Docker): Promise<string> {
  try {
    await docker.getImage(SANDBOX_IMAGE).inspect();
    return SANDBOX_IMAGE;
  } catch {
    // build it below
  }
  const info = (await docker.version()) as { Arch?: string };
  const tar = buildTar([
    { path: 'pause', data: pauseElf(info.Arch ?? process.arch), mode: 0o755 },
    { path: 'etc', type: 'dir' },
    { path: 'etc/hostname', data: Buffer.from('pause\n') },
  ]);
  const [repo, tag] = SANDBOX_IMAGE.split(':');
  const stream = await docker.importImage(Readable.from([tar]) as unknown as NodeJS.ReadableStream, { repo, tag, changes: ['CMD ["/pause"]'] } as unknown as object);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
  return SANDBOX_IMAGE;
}
