import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { ObjectService } from '../api/object-service';
import { ALL_RESOURCE_TYPES } from '../registry';
import { asArray, asObject, getString, type JsonObject } from '../registry/json-access';
import { SqliteStore } from '../store/sqlite-store';
import { buildNodeStatus, goArch, hostIPv4, NodeStatusReporter, nodeCapacity, nodeLabels, parseDockerInfo, type NodeFacts } from './node-status';

const INFO = { NCPU: 8, MemTotal: 16 * 2 ** 30, KernelVersion: '6.1.0', OperatingSystem: 'Debian GNU/Linux 12', OSType: 'linux', Architecture: 'x86_64', ServerVersion: '24.0.7', ID: 'AB:CD', DockerRootDir: '/var/lib/docker' };

const facts = (): NodeFacts => ({ nodeName: 'n1', maxPods: 110, hostIP: '192.168.1.2', hostname: 'laptop', runtime: parseDockerInfo(INFO), ephemeralStorageBytes: 100 * 2 ** 30 });

function conditions(status: unknown): JsonObject[] {
  return (asArray(asObject(status)?.conditions) ?? []).map((c) => asObject(c) ?? {});
}

describe('node status (pure)', () => {
  it('reads docker info', () => {
    expect(parseDockerInfo(INFO)).toEqual({ cpus: 8, memoryBytes: 16 * 2 ** 30, kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12', operatingSystem: 'linux', architecture: 'amd64', serverVersion: '24.0.7', machineID: 'abcd', rootDir: '/var/lib/docker' });
    expect(goArch('aarch64')).toBe('arm64');
  });

  it('builds capacity, labels, addresses, info and conditions', () => {
    const f = facts();
    expect(nodeCapacity(f)).toEqual({ cpu: '8', memory: `${16 * 2 ** 20}Ki`, pods: '110', 'ephemeral-storage': `${100 * 2 ** 20}Ki` });
    expect(nodeLabels(f)).toMatchObject({ 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': '' });
    const s = buildNodeStatus(f, true, Date.parse('2024-01-01T00:00:00Z'), undefined);
    expect(s.allocatable).toEqual(s.capacity);
    expect(s.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.1.2' },
      { type: 'Hostname', address: 'laptop' },
    ]);
    expect(s.nodeInfo).toMatchObject({ containerRuntimeVersion: 'docker://24.0.7', kubeletVersion: 'v1.31.0', operatingSystem: 'linux', architecture: 'amd64', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12' });
    expect(conditions(s).map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
  });

  it('picks a real interface for the InternalIP', () => {
    const a = (address: string, internal = false): { address: string; netmask: string; family: 'IPv4'; mac: string; internal: boolean; cidr: string } => ({ address, netmask: '255.255.0.0', family: 'IPv4', mac: '', internal, cidr: `${address}/16` });
    expect(hostIPv4({ lo: [a('127.0.0.1', true)], docker0: [a('172.17.0.1')], eth0: [a('192.168.1.20')] })).toBe('192.168.1.20');
    expect(hostIPv4({ lo: [a('127.0.0.1', true)], docker0: [a('172.17.0.1')] })).toBe('172.17.0.1');
    expect(hostIPv4({ lo: [a('127.0.0.1', true)] })).toBe('127.0.0.1');
  });

  it('moves heartbeats, keeps transition times, and reports the runtime down', () => {
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    const first = buildNodeStatus(facts(), true, t0, undefined);
    const beat = buildNodeStatus(facts(), true, t0 + 10_000, first);
    const ready = conditions(beat).find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ lastHeartbeatTime: '2024-01-01T00:00:10Z', lastTransitionTime: '2024-01-01T00:00:00Z' });
    const down = conditions(buildNodeStatus(facts(), false, t0 + 20_000, beat)).find((c) => c.type === 'Ready');
    expect(down).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastTransitionTime: '2024-01-01T00:00:20Z' });
  });
});

describe('NodeStatusReporter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-status-'));
  const store = new SqliteStore(join(dir, 'db'));
  const service = new ObjectService(store, ALL_RESOURCE_TYPES);
  let reporter: NodeStatusReporter | undefined;
  afterEach(async () => {
    reporter?.stop();
    service.owners.stop();
    store.close();
    // the checkpoint worker may still touch the database files: let it go before removing them
    await store.whenClosed();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('registers the node and follows Docker going down and coming back', async () => {
    let up = true;
    const docker = { ping: () => (up ? Promise.resolve('OK') : Promise.reject(new Error('down'))), info: () => Promise.resolve(INFO) } as unknown as Docker;
    const recorded: string[] = [];
    const changes: boolean[] = [];
    reporter = new NodeStatusReporter({
      service,
      docker,
      nodeName: 'n1',
      maxPods: 5,
      recorder: { record: (_o, _t, reason, message) => recorded.push(`${reason}: ${message}`) },
      heartbeatMs: 20,
      downPollMs: 20,
      onRuntimeChange: (u) => changes.push(u),
    });
    await reporter.start();
    const nodes = service.typeOf('nodes');
    if (!nodes) throw new Error('nodes');
    const ready = (): string => getString(conditions(service.get(nodes, '', 'n1').status).find((c) => c.type === 'Ready'), 'status');
    expect(ready()).toBe('True');
    expect(getString(service.get(nodes, '', 'n1'), 'status', 'capacity', 'pods')).toBe('5');
    expect(reporter.allocatable()).toMatchObject({ cpu: 8, memory: 16 * 2 ** 30 });
    up = false;
    await new Promise((r) => setTimeout(r, 80));
    expect(ready()).toBe('False');
    up = true;
    await new Promise((r) => setTimeout(r, 80));
    expect(ready()).toBe('True');
    expect(recorded).toEqual(['NodeReady: Node n1 status is now: NodeReady', 'NodeNotReady: Node n1 status is now: NodeNotReady', 'NodeReady: Node n1 status is now: NodeReady']);
    expect(changes).toEqual([true, false, true]);
  });
});
