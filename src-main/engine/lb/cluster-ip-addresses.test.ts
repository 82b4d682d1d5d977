import { describe, expect, it } from 'vitest';
import { addressLabel, ClusterIpAddresses, parseLoAddresses, PROBE_ADDRESS, type CommandRunner } from './cluster-ip-addresses';

const LO = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever';

function line(ip: string, label: string): string {
  return `1: lo    inet ${ip}/32 scope global ${label}\\       valid_lft forever preferred_lft forever`;
}

function failure(stderr: string, code: number | string = 2): Error {
  return Object.assign(new Error(`Command failed: ip\n${stderr}`), { code, stderr });
}

/** A fake `ip` keeping lo's addresses in a map (ip -> label), recording every call. */
function fakeIp(initial: Record<string, string> = {}, o: { deny?: boolean; missing?: boolean; failAdd?: string } = {}) {
  const addrs = new Map(Object.entries(initial));
  const calls: string[] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push([file, ...args].join(' '));
    if (o.missing) throw Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' });
    if (args[0] === '-o') return { stdout: [LO, ...[...addrs].map(([ip, label]) => line(ip, label))].join('\n') + '\n', stderr: '' };
    const ip = args[2].split('/')[0];
    if (o.deny) throw failure('RTNETLINK answers: Operation not permitted');
    if (args[1] === 'add') {
      if (ip === o.failAdd) throw failure('Error: something odd');
      if (addrs.has(ip)) throw failure('Error: ipv4: Address already assigned.');
      addrs.set(ip, args[args.indexOf('label') + 1]);
    } else {
      if (!addrs.delete(ip)) throw failure('RTNETLINK answers: Cannot assign requested address');
    }
    return { stdout: '', stderr: '' };
  };
  return { run, addrs, calls };
}

describe('parseLoAddresses', () => {
  it('reads address, prefix and label of ip -o output', () => {
    expect(parseLoAddresses(`${LO}\n${line('10.96.1.2', 'lo:skabc12345')}\n`)).toEqual([
      { ip: '127.0.0.1', prefix: 8, label: 'lo' },
      { ip: '10.96.1.2', prefix: 32, label: 'lo:skabc12345' },
    ]);
  });

  it('skips garbage and impossible addresses', () => {
    const text = ['', 'garbage', '1: lo inet6 ::1/128 scope host', '1: lo    inet 300.1.1.1/32 scope global lo:x', '1: lo    inet 10.0.0.1/99 scope global lo:x', '\u0000\u0001', line('10.96.0.9', 'lo:skz')].join('\n');
    expect(parseLoAddresses(text)).toEqual([{ ip: '10.96.0.9', prefix: 32, label: 'lo:skz' }]);
  });

  it('labels are at most 15 characters', () => {
    expect(addressLabel('0123456789abcdef')).toBe('lo:sk01234567');
    expect(addressLabel('0123456789abcdef').length).toBeLessThanOrEqual(15);
  });
});

describe('ClusterIpAddresses', () => {
  const clusterId = 'abcdef0123';
  const label = addressLabel(clusterId);

  it('adds and removes /32s with its label, and removes its own on stop', async () => {
    const ip = fakeIp();
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux' });
    expect(await a.start()).toBe(true);
    expect(ip.calls).toContain(`ip addr add ${PROBE_ADDRESS}/32 dev lo label ${label}`);
    expect(ip.addrs.has(PROBE_ADDRESS)).toBe(false);
    expect(await a.add('10.96.3.4')).toBe(true);
    expect(await a.add('10.96.3.5')).toBe(true);
    expect(ip.calls).toContain(`ip addr add 10.96.3.4/32 dev lo label ${label}`);
    expect(ip.addrs.get('10.96.3.4')).toBe(label);
    await a.remove('10.96.3.4');
    expect(ip.addrs.has('10.96.3.4')).toBe(false);
    expect(a.addresses()).toEqual(['10.96.3.5']);
    await a.stop();
    expect([...ip.addrs.keys()]).toEqual([]);
    expect(a.enabled).toBe(false);
  });

  it('on start removes stale addresses carrying its label, and nobody else\'s', async () => {
    const ip = fakeIp({ '10.96.9.9': label, '10.96.9.10': label, '10.96.8.8': 'lo:skother000', '10.1.2.3': 'lo' });
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux' });
    expect(await a.start()).toBe(true);
    expect([...ip.addrs.keys()].sort()).toEqual(['10.1.2.3', '10.96.8.8']);
  });

  it('an address already there (another engine\'s) is used but never removed', async () => {
    const ip = fakeIp({ '10.96.8.8': 'lo:skother000' });
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux' });
    await a.start();
    expect(await a.add('10.96.8.8')).toBe(true);
    await a.remove('10.96.8.8');
    await a.stop();
    expect(ip.addrs.get('10.96.8.8')).toBe('lo:skother000');
  });

  it('EPERM turns the feature off, logged once with the reason', async () => {
    const ip = fakeIp({}, { deny: true });
    const log: string[] = [];
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux', log: (l) => log.push(l) });
    expect(await a.start()).toBe(false);
    expect(a.enabled).toBe(false);
    expect(await a.add('10.96.3.4')).toBe(false);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/ClusterIPs are not routable \(RTNETLINK answers: Operation not permitted\)/);
    expect(ip.calls.filter((c) => c.includes('10.96.3.4'))).toEqual([]);
  });

  it('no `ip` command, or not Linux: off', async () => {
    const log: string[] = [];
    const missing = new ClusterIpAddresses({ clusterId, run: fakeIp({}, { missing: true }).run, platform: 'linux', log: (l) => log.push(l) });
    expect(await missing.start()).toBe(false);
    expect(missing.reason).toMatch(/not installed/);
    const mac = fakeIp();
    const darwin = new ClusterIpAddresses({ clusterId, run: mac.run, platform: 'darwin', log: (l) => log.push(l) });
    expect(await darwin.start()).toBe(false);
    expect(mac.calls).toEqual([]);
    expect(log).toHaveLength(2);
  });

  it('one address that cannot be added is logged; the feature stays on', async () => {
    const ip = fakeIp({}, { failAdd: '10.96.1.1' });
    const log: string[] = [];
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux', log: (l) => log.push(l) });
    await a.start();
    expect(await a.add('10.96.1.1')).toBe(false);
    expect(await a.add('10.96.1.2')).toBe(true);
    expect(a.enabled).toBe(true);
    expect(log.join('\n')).toContain('cannot add ClusterIP 10.96.1.1 to lo: Error: something odd');
  });

  it('a probe address held by another engine probing at the same time still means permitted', async () => {
    const ip = fakeIp({ [PROBE_ADDRESS]: 'lo:skother000' });
    const a = new ClusterIpAddresses({ clusterId, run: ip.run, platform: 'linux' });
    expect(await a.start()).toBe(true);
    expect(ip.addrs.get(PROBE_ADDRESS)).toBe('lo:skother000');
  });
});
