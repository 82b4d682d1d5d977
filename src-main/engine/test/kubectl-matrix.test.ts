/**
 * Real kubectl — the one on PATH and every kubectl.1.* beside it — against the engine, one engine per
 * version, commands run one after another: version, api-resources, get (-o wide/yaml/json, -A, -w), apply
 * twice (the stored Deployment must equal what kube-apiserver stores), label, annotate, patch (each type),
 * scale, delete (each cascade mode), describe, get all, namespaces, events, server-side apply, dry runs.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, kubectl, kubectlBinaries, spawnKubectl, startTestEngine, type RunResult, type TestEngine } from './harness';

const FIXTURES = join(__dirname, 'fixtures');
const BINARIES = kubectlBinaries();

interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ uid: string; name: string; kind: string }>;
  managedFields?: unknown[];
}

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  type?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Columns of a kubectl table header line (cells are separated by two or more spaces). */
function columns(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}

function lines(out: string): string[] {
  return out.split('\n').filter((l) => l.trim() !== '');
}

function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Strip what only the server that stored it can know (identity, timestamps, status, managedFields). */
function comparable(o: Obj, keepAnnotations: string[] = []): Record<string, unknown> {
  const copy = structuredClone(o) as Obj & Record<string, unknown>;
  const m = copy.metadata as Meta & Record<string, unknown>;
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink']) delete m[k];
  const annotations = Object.fromEntries(Object.entries(m.annotations ?? {}).filter(([k]) => keepAnnotations.includes(k)));
  if (Object.keys(annotations).length > 0) m.annotations = annotations;
  else delete m.annotations;
  delete copy.status;
  // kube-apiserver serialises the template's zero creationTimestamp as null; without it the object is the same
  const template = (copy.spec as { template?: { metadata?: Record<string, unknown> } } | undefined)?.template;
  if (template?.metadata && !('creationTimestamp' in template.metadata)) template.metadata.creationTimestamp = null;
  return copy;
}

if (BINARIES.length === 0) {
  describe('kubectl matrix', () => {
    it.skip('needs kubectl: none found on PATH or in /usr/lib/google-cloud-sdk/bin', () => undefined);
  });
}

describe.each(BINARIES)('$name', ({ path: bin }) => {
  let te: TestEngine;
  let k: (args: string[], input?: string) => Promise<RunResult>;
  /** the client's minor version, as `kubectl version` reports it (the PATH one may dispatch to another) */
  let minor = 0;
  const spawned: ChildProcess[] = [];

  beforeAll(async () => {
    te = await startTestEngine();
    k = kubectl(bin, te);
  });
  afterAll(async () => {
    for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await te?.stop();
  });

  /** Run kubectl and require exit 0. */
  async function ok(args: string[], input?: string): Promise<string> {
    const r = await k(args, input);
    expect(r.code, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  }

  async function getJson(args: string[]): Promise<Obj> {
    return JSON.parse(await ok(['get', ...args, '-o', 'json'])) as Obj;
  }

  it('version shows the server version', async () => {
    const server = (await api(te, 'GET', '/version')).json() as { gitVersion: string };
    const r = await k(['version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(server.gitVersion);
    expect(r.stdout).toMatch(/Client Version/);
    const parsed = JSON.parse(await ok(['version', '-o', 'json'])) as { clientVersion: { minor: string }; serverVersion: { gitVersion: string } };
    expect(parsed.serverVersion.gitVersion).toBe(server.gitVersion);
    minor = Number.parseInt(parsed.clientVersion.minor, 10);
    expect(minor).toBeGreaterThanOrEqual(27);
  });

  it('api-resources lists the kinds with their short names and groups', async () => {
    const out = await ok(['api-resources']);
    expect(columns(lines(out)[0])).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const rows = lines(out).map((l) => l.trim().split(/\s+/).join(' '));
    for (const row of [
      'pods po v1 true Pod',
      'services svc v1 true Service',
      'configmaps cm v1 true ConfigMap',
      'secrets v1 true Secret',
      'namespaces ns v1 false Namespace',
      'events ev v1 true Event',
      'deployments deploy apps/v1 true Deployment',
      'replicasets rs apps/v1 true ReplicaSet',
      'horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler',
      'endpointslices discovery.k8s.io/v1 true EndpointSlice',
    ]) {
      expect(rows).toContain(row);
    }
    expect(await ok(['api-resources', '--api-group=apps', '-o', 'name'])).toContain('deployments.apps');
  });

  it('apply -f twice: the stored Deployment is exactly what kube-apiserver stores', async () => {
    const first = await ok(['apply', '-f', fixture('app-v1.yaml')]);
    expect(lines(first)).toEqual(['deployment.apps/web created', 'service/web created', 'configmap/web-config created', 'secret/web-secret created']);
    const v1 = await getJson(['deployment', 'web']);
    const env1 = (v1.spec as { template: { spec: { containers: Array<{ env: unknown[]; ports: unknown[] }> } } }).template.spec.containers[0];
    expect(env1.env).toHaveLength(2);
    expect(env1.ports).toHaveLength(2);

    const second = await ok(['apply', '-f', fixture('app-v2.yaml')]);
    expect(lines(second)).toEqual(['deployment.apps/web configured', 'service/web unchanged', 'configmap/web-config unchanged', 'secret/web-secret unchanged']);

    const v2 = await getJson(['deployment', 'web']);
    const expected = JSON.parse(readFileSync(fixture('web-deployment.expected.json'), 'utf8')) as Record<string, unknown>;
    expect(comparable(v2)).toEqual(expected);
    expect(v2.metadata.uid).toBe(v1.metadata.uid);
    expect(v2.metadata.generation).toBeGreaterThan(v1.metadata.generation ?? 0);
    // the last-applied annotation records exactly the second manifest
    const lastApplied = JSON.parse(v2.metadata.annotations?.[LAST_APPLIED] ?? '{}') as Obj;
    const manifest = parseYaml(readFileSync(fixture('app-v2.yaml'), 'utf8').split(/^---$/m)[0]) as Obj;
    expect(lastApplied).toEqual({ ...manifest, metadata: { ...manifest.metadata, annotations: {}, namespace: 'default' } });

    const svc = await getJson(['service', 'web']);
    const clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    expect(clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    const svcExpected = JSON.parse(readFileSync(fixture('web-service.expected.json'), 'utf8').replaceAll('<allocated>', clusterIP)) as Record<string, unknown>;
    expect({ ...comparable(svc), status: svc.status }).toEqual(svcExpected);

    const secret = await getJson(['secret', 'web-secret']);
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ password: 'aHVudGVyMg==' });
    expect((await getJson(['configmap', 'web-config'])).data).toEqual({ 'index.html': 'hello' });
  });

  it('get -o wide prints the columns a real cluster prints', async () => {
    await ok(['apply', '-f', fixture('wide.yaml')]);
    const header = async (args: string[]): Promise<string[]> => columns(lines(await ok(['get', ...args]))[0]);
    expect(await header(['pods', '-o', 'wide'])).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(await header(['pods'])).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(await header(['deployments', '-o', 'wide'])).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(await header(['deployments'])).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(await header(['replicasets', '-o', 'wide'])).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(await header(['services', '-o', 'wide'])).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(await header(['configmaps'])).toEqual(['NAME', 'DATA', 'AGE']);
    expect(await header(['secrets'])).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(await header(['namespaces'])).toEqual(['NAME', 'STATUS', 'AGE']);

    const dep = lines(await ok(['get', 'deployment', 'wide', '-o', 'wide']));
    expect(columns(dep[1])).toEqual(['wide', '0/3', '0', '0', expect.stringMatching(/^\d+s$/), 'app,sidecar', 'nginx:1.25,busybox:1.36', 'app=wide']);
    const pod = lines(await ok(['get', 'pod', 'wide-pod', '-o', 'wide']));
    expect(columns(pod[1])).toEqual(['wide-pod', '0/1', 'Pending', '0', expect.stringMatching(/^\d+s$/), '<none>', 'elsewhere', '<none>', '<none>']);
    const rs = lines(await ok(['get', 'replicaset', 'wide-rs', '-o', 'wide']));
    expect(columns(rs[1])).toEqual(['wide-rs', '0', '0', '0', expect.stringMatching(/^\d+s$/), 'app', 'nginx:1.25', 'rs=wide']);
    const svc = lines(await ok(['get', 'service', 'wide', '-o', 'wide']));
    expect(columns(svc[1])).toEqual(['wide', 'NodePort', expect.stringMatching(/^10\.96\./), '<none>', expect.stringMatching(/^80:3\d{4}\/TCP,53:3\d{4}\/UDP$/), expect.stringMatching(/^\d+s$/), 'app=wide']);
    expect(await ok(['get', 'pods', '--show-labels'])).toMatch(/wide-pod\s.*\sapp=wide,tier=front/);
    expect(lines(await ok(['get', 'pods', '-o', 'name']))).toContain('pod/wide-pod');
  });

  it('get -o yaml and -o json print the object', async () => {
    const yaml = parseYaml(await ok(['get', 'deployment', 'wide', '-o', 'yaml'])) as Obj;
    expect(yaml.kind).toBe('Deployment');
    expect(yaml.apiVersion).toBe('apps/v1');
    expect(yaml.metadata.name).toBe('wide');
    expect(yaml.metadata.managedFields).toBeUndefined();
    const list = parseYaml(await ok(['get', 'configmaps', '-o', 'yaml'])) as { kind: string; items: Obj[] };
    expect(list.kind).toBe('List');
    expect(list.items.every((i) => i.kind === 'ConfigMap' && i.apiVersion === 'v1')).toBe(true);
    expect(await ok(['get', 'deployment', 'wide', '-o', 'jsonpath={.spec.template.spec.containers[*].image}'])).toBe('nginx:1.25 busybox:1.36');
  });

  it('get -A adds the NAMESPACE column', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }));
    await ok(['apply', '-n', 'other', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'in-other' }, data: { a: '1' } }));
    const out = lines(await ok(['get', 'configmaps', '-A']));
    expect(columns(out[0])).toEqual(['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    const rows = out.slice(1).map((l) => columns(l).slice(0, 3).join(' '));
    expect(rows).toContain('other in-other 1');
    expect(rows).toContain('default web-config 1');
    const svcs = lines(await ok(['get', 'services', '--all-namespaces', '-o', 'wide']));
    expect(columns(svcs[0])).toEqual(['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(svcs.some((l) => /^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s/.test(l))).toBe(true);
  });

  it('get -w prints a line for each change', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } }));
    await ok(['apply', '-n', 'watched', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' }, data: { a: '1' } }));
    const { child, state } = spawnKubectl(bin, te, ['-n', 'watched', 'get', 'configmaps', '-w']);
    spawned.push(child);
    try {
      await eventually(() => /^before\s+1\s/m.test(state.stdout), 15_000);
      await api(te, 'POST', '/api/v1/namespaces/watched/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'during' }, data: { a: '1' } }) });
      await eventually(() => /^during\s+1\s/m.test(state.stdout), 10_000);
      await ok(['-n', 'watched', 'patch', 'configmap', 'during', '--type', 'merge', '-p', '{"data":{"b":"2","c":"3"}}']);
      await eventually(() => /^during\s+3\s/m.test(state.stdout), 10_000);
      expect(child.exitCode).toBeNull();
      expect(columns(lines(state.stdout)[0])).toEqual(['NAME', 'DATA', 'AGE']);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
    }
    expect(state.stderr).not.toMatch(/error/i);
  });

  it('label adds, refuses to overwrite without --overwrite, overwrites, and removes', async () => {
    const labels = async (): Promise<Record<string, string>> => (await getJson(['deployment', 'wide'])).metadata.labels ?? {};
    expect(await ok(['label', 'deployment', 'wide', 'tier=front'])).toContain('deployment.apps/wide labeled');
    expect(await labels()).toEqual({ app: 'wide', tier: 'front' });
    const refused = await k(['label', 'deployment', 'wide', 'tier=back']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("'tier' already has a value (front), and --overwrite is false");
    expect((await labels()).tier).toBe('front');
    await ok(['label', 'deployment', 'wide', 'tier=back', '--overwrite']);
    expect((await labels()).tier).toBe('back');
    expect(await ok(['label', 'deployment', 'wide', 'tier-'])).toContain('unlabeled');
    expect(await labels()).toEqual({ app: 'wide' });
    const bad = await k(['label', 'deployment', 'wide', 'bad=-value-']);
    expect(bad.code).not.toBe(0);
  });

  it('annotate adds, overwrites and removes annotations', async () => {
    const annotations = async (): Promise<Record<string, string>> => (await getJson(['deployment', 'wide'])).metadata.annotations ?? {};
    await ok(['annotate', 'deployment', 'wide', 'example.com/note=hello']);
    expect((await annotations())['example.com/note']).toBe('hello');
    expect((await k(['annotate', 'deployment', 'wide', 'example.com/note=again'])).code).not.toBe(0);
    await ok(['annotate', 'deployment', 'wide', 'example.com/note=again', '--overwrite']);
    expect((await annotations())['example.com/note']).toBe('again');
    await ok(['annotate', 'deployment', 'wide', 'example.com/note-']);
    expect(await annotations()).not.toHaveProperty('example.com/note');
  });

  it('patch with each type: strategic (default), merge and json', async () => {
    type Containers = Array<{ name: string; image: string; ports?: unknown[] }>;
    const containers = async (): Promise<Containers> => ((await getJson(['deployment', 'wide'])).spec as { template: { spec: { containers: Containers } } }).template.spec.containers;

    // strategic: containers merge by name, so the other container and the ports stay
    expect(await ok(['patch', 'deployment', 'wide', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}}}'])).toContain('deployment.apps/wide patched');
    let cs = await containers();
    expect(cs.map((c) => `${c.name}=${c.image}`)).toEqual(['app=nginx:1.26', 'sidecar=busybox:1.36']);
    expect(cs[0].ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);

    // merge: a list is replaced as a whole
    await ok(['patch', 'deployment', 'wide', '--type', 'merge', '-p', '{"spec":{"minReadySeconds":5,"template":{"spec":{"containers":[{"name":"only","image":"nginx:1.27"}]}}}}']);
    cs = await containers();
    expect(cs.map((c) => `${c.name}=${c.image}`)).toEqual(['only=nginx:1.27']);
    expect((await getJson(['deployment', 'wide'])).spec?.minReadySeconds).toBe(5);

    // json: RFC 6902 operations, including a failing test op that changes nothing
    await ok(['patch', 'deployment', 'wide', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels/patched","value":"json"}]']);
    const d = await getJson(['deployment', 'wide']);
    expect(d.spec?.replicas).toBe(4);
    expect(d.metadata.labels?.patched).toBe('json');
    const failed = await k(['patch', 'deployment', 'wide', '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":99},{"op":"replace","path":"/spec/replicas","value":1}]']);
    expect(failed.code).not.toBe(0);
    expect((await getJson(['deployment', 'wide'])).spec?.replicas).toBe(4);
    const invalid = await k(['patch', 'deployment', 'wide', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers"}]']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('is invalid');
  });

  it('scale sets spec.replicas, with and without a --current-replicas precondition', async () => {
    const replicas = async (): Promise<unknown> => (await getJson(['deployment', 'wide'])).spec?.replicas;
    const before = (await getJson(['deployment', 'wide'])).metadata.generation ?? 0;
    expect(await ok(['scale', 'deployment', 'wide', '--replicas=5'])).toContain('deployment.apps/wide scaled');
    expect(await replicas()).toBe(5);
    expect((await getJson(['deployment', 'wide'])).metadata.generation).toBe(before + 1);
    const refused = await k(['scale', 'deployment', 'wide', '--current-replicas=4', '--replicas=6']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Expected replicas to be 4, was 5');
    expect(await replicas()).toBe(5);
    await ok(['scale', 'deployment', 'wide', '--current-replicas=5', '--replicas=6']);
    expect(await replicas()).toBe(6);
    const scale = (await api(te, 'GET', '/apis/apps/v1/namespaces/default/deployments/wide/scale')).json() as { kind: string; spec: { replicas: number }; status: { selector: string } };
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 6 }, status: { selector: 'app=wide' } });
  });

  it.each(['background', 'foreground', 'orphan'] as const)('delete --cascade=%s of a Deployment that owns a ReplicaSet', async (mode) => {
    const name = `owner-${mode}`;
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    }));
    const owner = await getJson(['deployment', name]);
    // our own ReplicaSet, selecting labels no Deployment template has, so no controller adopts or manages it
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-rs`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      spec: { replicas: 0, selector: { matchLabels: { owned: name } }, template: { metadata: { labels: { owned: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    }));
    const out = await ok(['delete', 'deployment', name, `--cascade=${mode}`]);
    expect(out).toContain(`deployment.apps "${name}" deleted`);
    expect((await k(['get', 'deployment', name])).code).not.toBe(0);
    if (mode === 'orphan') {
      const rs = await getJson(['replicaset', `${name}-rs`]);
      expect(rs.metadata.ownerReferences ?? []).toEqual([]);
      expect(rs.metadata.deletionTimestamp).toBeUndefined();
    } else {
      // foreground: kubectl waited for the owner, which goes only after its dependents
      if (mode === 'foreground') expect((await k(['get', 'replicaset', `${name}-rs`])).code).not.toBe(0);
      await eventually(async () => (await k(['get', 'replicaset', `${name}-rs`])).stderr.includes('not found'), 10_000);
    }
  });

  it('describe shows the key lines of a Deployment and a Pod', async () => {
    const dep = await ok(['describe', 'deployment', 'web']);
    for (const re of [/^Name:\s+web$/m, /^Namespace:\s+default$/m, /^Labels:\s+app=web$/m, /^Selector:\s+app=web$/m, /^Replicas:\s+2 desired/m, /^StrategyType:\s+RollingUpdate$/m, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m, /^Pod Template:$/m, /Image:\s+nginx:1\.25$/m, /Port:\s+80\/TCP/, /A:\s+1$/m, /\/etc\/web from config/]) {
      expect(dep).toMatch(re);
    }
    const pod = await ok(['describe', 'pod', 'wide-pod']);
    for (const re of [/^Name:\s+wide-pod$/m, /^Namespace:\s+default$/m, /^Labels:\s+app=wide$/m, /^Containers:$/m, /^\s+app:$/m, /Image:\s+nginx:1\.25$/m, /^QoS Class:\s+BestEffort$/m]) {
      expect(pod).toMatch(re);
    }
  });

  it('get all lists services and deployments with their group', async () => {
    const out = await ok(['get', 'all']);
    expect(out).toMatch(/^service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s/m);
    expect(out).toMatch(/^deployment\.apps\/web\s/m);
    expect(out).toMatch(/^pod\/wide-pod\s/m);
  });

  it('create ns (typed client) works', async () => {
    // kubectl 1.32+ sends these typed-client writes as protobuf: the engine decodes them.
    expect(await ok(['create', 'namespace', 'typed-ns'])).toContain('namespace/typed-ns created');
    expect(await ok(['-n', 'typed-ns', 'create', 'configmap', 'c', '--from-literal=a=b'])).toContain('configmap/c created');
    await ok(['delete', 'namespace', 'typed-ns']);
  });

  it('deleting a namespace removes its contents', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } }));
    await ok(['apply', '-n', 'doomed', '-f', fixture('app-v1.yaml')]);
    expect(lines(await ok(['get', 'configmaps,secrets,services,deployments', '-n', 'doomed', '-o', 'name'])).sort()).toEqual(['configmap/web-config', 'deployment.apps/web', 'secret/web-secret', 'service/web']);
    expect(await ok(['delete', 'namespace', 'doomed'])).toContain('namespace "doomed" deleted');
    const gone = await k(['get', 'namespace', 'doomed']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('namespaces "doomed" not found');
    for (const path of ['/api/v1/namespaces/doomed/configmaps', '/api/v1/namespaces/doomed/secrets', '/api/v1/namespaces/doomed/services', '/apis/apps/v1/namespaces/doomed/deployments']) {
      expect(((await api(te, 'GET', path)).json() as { items: unknown[] }).items).toEqual([]);
    }
    // the name can be used again
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } }));
    expect(lines(await ok(['get', 'configmaps', '-n', 'doomed', '-o', 'name']))).toEqual([]);
  });

  it('get events --field-selector involvedObject.name=… shows only that object\'s events', async () => {
    const event = (name: string, target: string, message: string): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: target, namespace: 'default' },
      reason: 'Testing',
      message,
      type: 'Normal',
      count: 1,
      firstTimestamp: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      source: { component: 'test' },
    });
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [event('ev-a', 'wide-pod', 'about the wide pod'), event('ev-b', 'someone-else', 'about another pod')] }));
    const out = lines(await ok(['get', 'events', '--field-selector', 'involvedObject.name=wide-pod']));
    expect(columns(out[0])).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(out).toHaveLength(2);
    expect(columns(out[1]).slice(1)).toEqual(['Normal', 'Testing', 'pod/wide-pod', 'about the wide pod']);
    const none = await k(['get', 'events', '--field-selector', 'involvedObject.name=nobody']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No resources found');
  });

  it('apply --server-side creates and updates', async () => {
    const cm = (v: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { v } });
    expect(await ok(['apply', '--server-side', '-f', '-'], cm('1'))).toContain('configmap/ssa serverside-applied');
    expect((await getJson(['configmap', 'ssa'])).data).toEqual({ v: '1' });
    expect(await ok(['apply', '--server-side', '-f', '-'], cm('2'))).toContain('configmap/ssa serverside-applied');
    expect((await getJson(['configmap', 'ssa'])).data).toEqual({ v: '2' });
  });

  it('--dry-run=server validates but creates, changes and deletes nothing', async () => {
    const rv = te.engine.store.resourceVersion;
    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } });
    expect(await ok(['apply', '--dry-run=server', '-f', '-'], cm)).toContain('configmap/dry created (server dry run)');
    expect(await ok(['create', '--dry-run=server', '-f', '-'], cm)).toContain('configmap/dry created (server dry run)');
    expect(await ok(['label', 'deployment', 'web', 'dry=run', '--dry-run=server'])).toContain('(server dry run)');
    expect(await ok(['scale', 'deployment', 'web', '--replicas=9', '--dry-run=server'])).toContain('(server dry run)');
    expect(await ok(['delete', 'configmap', 'web-config', '--dry-run=server'])).toContain('(server dry run)');
    const invalid = await k(['apply', '--dry-run=server', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } }));
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('is invalid');
    expect(te.engine.store.resourceVersion).toBe(rv);
    expect((await k(['get', 'configmap', 'dry'])).stderr).toContain('configmaps "dry" not found');
    const web = await getJson(['deployment', 'web']);
    expect(web.spec?.replicas).toBe(2);
    expect(web.metadata.labels).toEqual({ app: 'web' });
    await ok(['get', 'configmap', 'web-config']);
  });
});
