import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_DIR_NAME, payloadPathError, versionDirPrefix, writeAtomically } from './volume-atomic-writer';
import type { Payload } from './volume-payload';

const payload = (entries: Record<string, string | [string, number]>): Payload =>
  new Map(
    Object.entries(entries).map(([p, v]) => {
      const [text, mode] = typeof v === 'string' ? [v, 0o644] : v;
      return [p, { data: Buffer.from(text), mode }];
    }),
  );

describe('writeAtomically', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'atomic-')), 'vol');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('lays out a version dir, the ..data link and one link per top-level name', async () => {
    expect(await writeAtomically(dir, payload({ a: 'A', 'sub/b': ['B', 0o600] }), new Date(Date.UTC(2024, 4, 1, 10, 2, 3)))).toBe(true);
    const version = readlinkSync(join(dir, DATA_DIR_NAME));
    expect(version).toMatch(/^\.\.2024_05_01_10_02_03\./);
    expect(readlinkSync(join(dir, 'a'))).toBe('..data/a');
    expect(readlinkSync(join(dir, 'sub'))).toBe('..data/sub');
    expect(readFileSync(join(dir, 'sub/b'), 'utf8')).toBe('B');
    expect(statSync(join(dir, 'sub/b')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).sort()).toEqual([DATA_DIR_NAME, version, 'a', 'sub'].sort());
  });

  it('writes nothing when the payload is unchanged, and swaps versions when it changes', async () => {
    await writeAtomically(dir, payload({ a: 'A', b: 'B' }));
    const first = readlinkSync(join(dir, DATA_DIR_NAME));
    expect(await writeAtomically(dir, payload({ a: 'A', b: 'B' }))).toBe(false);
    expect(readlinkSync(join(dir, DATA_DIR_NAME))).toBe(first);

    expect(await writeAtomically(dir, payload({ a: 'A2', c: 'C' }))).toBe(true);
    const second = readlinkSync(join(dir, DATA_DIR_NAME));
    expect(second).not.toBe(first);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A2');
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe('C');
    // the removed key's link and the old version are gone
    expect(readdirSync(dir).sort()).toEqual([DATA_DIR_NAME, second, 'a', 'c'].sort());
  });

  it('treats a mode change as a change', async () => {
    await writeAtomically(dir, payload({ a: ['A', 0o644] }));
    expect(await writeAtomically(dir, payload({ a: ['A', 0o400] }))).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o400);
  });

  it('removes version dirs an interrupted write left behind', async () => {
    await writeAtomically(dir, payload({ a: 'A' }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '..2020_01_01_00_00_00.zzz'));
    await writeAtomically(dir, payload({ a: 'B' }));
    expect(readdirSync(dir).filter((e) => e.startsWith('..20'))).toHaveLength(1);
  });

  it('refuses paths that would leave the volume, before writing anything', async () => {
    await expect(writeAtomically(dir, payload({ '../x': 'X' }))).rejects.toThrow(/must not contain '\.\.'/);
    expect(() => readdirSync(dir)).toThrow();
    expect(payloadPathError('/abs')).toMatch(/relative/);
    expect(payloadPathError('..x')).toMatch(/start with/);
    expect(payloadPathError('')).toMatch(/empty/);
    expect(payloadPathError('a/b')).toBeUndefined();
  });

  it('formats the version prefix in UTC', () => {
    expect(versionDirPrefix(new Date(Date.UTC(2023, 11, 31, 23, 59, 58)))).toBe('..2023_12_31_23_59_58.');
  });
});
