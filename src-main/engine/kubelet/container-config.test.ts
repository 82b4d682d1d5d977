import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { containerConfig, containerSpecHash, dockerName, dockerUser, podHostname, resourceSettings, runAsNonRootError, sandboxConfig } from './container-config';

const pod = (spec: Record<string, unknown> = {}, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: 'u-1' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
});

const input = (container: Record<string, unknown>, p = pod()) => ({
  pod: p,
  container: { name: 'c', image: 'busybox:1.36', ...container },
  role: 'app' as const,
  restartCount: 2,
  clusterId: 'cl1',
  sandboxId: 'sb123',
  env: [['A', '1']] as Array<[string, string]>,
  mounts: [],
  imageUser: '',
});

describe('container-config', () => {
  it('names instances like dockershim and labels them', () => {
    expect(dockerName(pod(), 'c', 3)).toBe('k8s_c_web_shop_u-1_3');
    const c = containerConfig(input({}));
    expect(c.name).toBe('k8s_c_web_shop_u-1_2');
    expect(c.Labels).toMatchObject({
      'dev.skiff.cluster': 'cl1',
      'dev.skiff.pod-uid': 'u-1',
      'dev.skiff.pod-name': 'web',
      'dev.skiff.pod-namespace': 'shop',
      'dev.skiff.container': 'c',
      'dev.skiff.role': 'app',
      'dev.skiff.restart-count': '2',
    });
    expect(c.Labels?.['dev.skiff.spec-hash']).toBe(containerSpecHash({ name: 'c', image: 'busybox:1.36' }));
    expect(c.Env).toEqual(['A=1']);
  });

  it("joins the sandbox's network and IPC namespaces", () => {
    const c = containerConfig(input({}));
    expect(c.HostConfig?.NetworkMode).toBe('container:sb123');
    expect(c.HostConfig?.IpcMode).toBe('container:sb123');
    expect(c.HostConfig?.PidMode).toBeUndefined();
    expect(containerConfig(input({}, pod({ shareProcessNamespace: true }))).HostConfig?.PidMode).toBe('container:sb123');
    expect(c.Hostname).toBeUndefined();
  });

  it('maps command and args onto Entrypoint and Cmd with Kubernetes semantics', () => {
    const both = containerConfig({ ...input({}), command: ['sh', '-c'], args: ['echo hi'] });
    expect([both.Entrypoint, both.Cmd]).toEqual([['sh', '-c'], ['echo hi']]);
    const commandOnly = containerConfig({ ...input({}), command: ['sleep'] });
    expect([commandOnly.Entrypoint, commandOnly.Cmd]).toEqual([['sleep'], []]);
    const argsOnly = containerConfig({ ...input({}), args: ['3600'] });
    expect([argsOnly.Entrypoint, argsOnly.Cmd]).toEqual([undefined, ['3600']]);
    const neither = containerConfig(input({}));
    expect([neither.Entrypoint, neither.Cmd]).toEqual([undefined, undefined]);
  });

  it('translates resources into Docker limits', () => {
    expect(resourceSettings({ resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } })).toEqual({
      NanoCpus: 500_000_000,
      Memory: 64 * 2 ** 20,
      MemorySwap: 64 * 2 ** 20,
      CpuShares: 256,
    });
    expect(resourceSettings({ resources: { limits: { cpu: 2 } } })).toEqual({ NanoCpus: 2e9 });
    expect(resourceSettings({ resources: { requests: { cpu: '1m' } } })).toEqual({ CpuShares: 2 });
    expect(resourceSettings({})).toEqual({});
  });

  it('applies the security context', () => {
    const c = containerConfig(
      input(
        { securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, privileged: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, allowPrivilegeEscalation: false } },
        pod({ securityContext: { runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000 } }),
      ),
    );
    expect(c.User).toBe('1000:3000');
    expect(c.HostConfig).toMatchObject({ ReadonlyRootfs: true, Privileged: true, CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], GroupAdd: ['4000', '2000'] });
    expect(dockerUser(pod({ securityContext: { runAsUser: 5 } }), { securityContext: { runAsUser: 7 } }, '')).toBe('7');
    expect(dockerUser(pod(), { securityContext: { runAsGroup: 9 } }, 'app:staff')).toBe('app:9');
    expect(dockerUser(pod(), {}, 'app')).toBe('');
  });

  it('sets workingDir, tty and stdin', () => {
    const c = containerConfig(input({ workingDir: '/srv', tty: true, stdin: true, stdinOnce: true }));
    expect(c).toMatchObject({ WorkingDir: '/srv', Tty: true, OpenStdin: true, AttachStdin: true, StdinOnce: true });
  });

  it('verifies runAsNonRoot against the image user', () => {
    const p = pod({ securityContext: { runAsNonRoot: true } });
    expect(runAsNonRootError(p, { name: 'c' }, '')).toBe('container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: c)');
    expect(runAsNonRootError(p, { name: 'c' }, 'app')).toMatch(/^container has runAsNonRoot and image has non-numeric user \(app\)/);
    expect(runAsNonRootError(p, { name: 'c' }, '1000')).toBeUndefined();
    expect(runAsNonRootError(p, { name: 'c', securityContext: { runAsUser: 0 } }, '1000')).toMatch(/^container's runAsUser breaks non-root policy/);
    expect(runAsNonRootError(pod(), { name: 'c' }, '')).toBeUndefined();
  });

  it('builds the sandbox: hostname, network, IPC, DNS and sysctls', () => {
    const s = sandboxConfig({
      pod: pod({ subdomain: 'sub', securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } }),
      clusterId: 'cl1',
      attempt: 1,
      image: 'skiff.local/pause:1',
      network: 'skiff-cl1',
      mounts: [],
      dns: { servers: ['10.96.0.10'] },
    });
    expect(s.name).toBe('k8s_POD_web_shop_u-1_1');
    expect(s.Hostname).toBe('web');
    expect(s.Domainname).toBe('sub.shop.svc.cluster.local');
    expect(s.Labels).toMatchObject({ 'dev.skiff.role': 'sandbox', 'dev.skiff.container': 'POD', 'dev.skiff.restart-count': '1' });
    expect(s.HostConfig).toMatchObject({
      NetworkMode: 'skiff-cl1',
      IpcMode: 'shareable',
      Dns: ['10.96.0.10'],
      DnsSearch: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      DnsOptions: ['ndots:5'],
      Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
    });
    const host = sandboxConfig({ pod: pod({ hostNetwork: true }), clusterId: 'c', attempt: 0, image: 'i', network: 'n', mounts: [] });
    expect(host.HostConfig?.NetworkMode).toBe('host');
    expect(host.Hostname).toBeUndefined();
    const none = sandboxConfig({ pod: pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] } }), clusterId: 'c', attempt: 0, image: 'i', network: 'n', mounts: [], dns: { servers: ['10.96.0.10'] } });
    expect(none.HostConfig).toMatchObject({ Dns: ['1.1.1.1'], DnsOptions: ['ndots:2'] });
    const overridden = sandboxConfig({ pod: pod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } }), clusterId: 'c', attempt: 0, image: 'i', network: 'n', mounts: [], dns: { servers: ['10.96.0.10'] } });
    expect(overridden.HostConfig?.DnsOptions).toEqual(['ndots:1', 'edns0']);
    const noClusterDns = sandboxConfig({ pod: pod({}), clusterId: 'c', attempt: 0, image: 'i', network: 'n', mounts: [], dns: { servers: [] } });
    expect(noClusterDns.HostConfig?.DnsOptions).toBeUndefined();
  });

  it('truncates long hostnames to 63 characters without a trailing dash', () => {
    const long = `${'a'.repeat(62)}-bbbb`;
    expect(podHostname(pod({}, long)).hostname).toBe('a'.repeat(62));
    expect(podHostname(pod({ hostname: 'custom' })).hostname).toBe('custom');
  });

  it('hashes container specs stably, ignoring key order', () => {
    expect(containerSpecHash({ name: 'c', image: 'a' })).toBe(containerSpecHash({ image: 'a', name: 'c' }));
    expect(containerSpecHash({ name: 'c', image: 'a' })).not.toBe(containerSpecHash({ name: 'c', image: 'b' }));
  });
});
