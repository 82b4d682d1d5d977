/**
 * Object, list and watch semantics over raw HTTPS, as kube-apiserver defines them: generation, immutable
 * metadata, generateName, optimistic concurrency, finalizers, selectors, paging, watch resume, bookmarks,
 * 410 Expired, timeouts, selector-filtered watches, many watchers, and Table responses.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startTestEngine, type ApiResponse, type TestEngine } from './harness';

interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

interface Obj {
  kind: string;
  apiVersion: string;
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  code?: number;
  reason?: string;
}

interface List {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj;
}

/** A watch over HTTPS: newline-delimited JSON events collected as they arrive. */
interface Watch {
  status: number;
  events: WatchEvent[];
  /** resolves when the server ends the stream */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

function openWatch(te: TestEngine, path: string, accept?: string): Promise<Watch> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${te.token}` };
    if (accept) headers.Accept = accept;
    const req = https.request(`${te.url}${path}`, { method: 'GET', headers, ca: te.ca }, (res) => {
      const events: WatchEvent[] = [];
      let buf = '';
      let done = false;
      const ended = new Promise<void>((r) => {
        const finish = (): void => {
          done = true;
          r();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      res.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim() !== '') events.push(JSON.parse(line) as WatchEvent);
        }
      });
      resolve({ status: res.statusCode ?? 0, events, ended, isEnded: () => done, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

function json<T = Obj>(r: ApiResponse, code = 200): T {
  expect(r.status, r.text.slice(0, 400)).toBe(code);
  return r.json() as T;
}

async function ensureNamespace(te: TestEngine, name: string): Promise<void> {
  const r = await api(te, 'POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
  expect([201, 409]).toContain(r.status);
}

function cmBody(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: '1' }, ...extra });
}

const MERGE = 'application/merge-patch+json';

describe('API semantics', () => {
  let te: TestEngine;

  beforeAll(async () => {
    te = await startTestEngine();
  });
  afterAll(async () => {
    await te?.stop();
  });

  describe('metadata', () => {
    const RS = '/apis/apps/v1/namespaces/default/replicasets';
    const DEP = '/apis/apps/v1/namespaces/default/deployments';
    const rsBody = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'gen' },
      spec: { replicas: 0, selector: { matchLabels: { gen: 'rs' } }, template: { metadata: { labels: { gen: 'rs' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    };

    /** A merge patch conditioned on the resourceVersion just read, so a controller's write in between cannot skew the count. */
    async function patchFrom(path: string, patch: Record<string, unknown>): Promise<{ before: Obj; after: Obj }> {
      const result = await eventually(async () => {
        const before = json(await api(te, 'GET', path));
        const md = isRecord(patch.metadata) ? patch.metadata : {};
        const body = { ...patch, metadata: { ...md, resourceVersion: before.metadata.resourceVersion } };
        const r = await api(te, 'PATCH', path, { body: JSON.stringify(body), contentType: MERGE });
        if (r.status === 409) return undefined;
        return { before, after: json(r) };
      });
      if (!result) throw new Error(`could not patch ${path}`);
      return result;
    }

    it('bumps generation on spec changes only, not on label, annotation or status writes', async () => {
      const created = json(await api(te, 'POST', RS, { body: JSON.stringify(rsBody) }), 201);
      expect(created.metadata.generation).toBe(1);
      const path = `${RS}/gen`;

      const labelled = await patchFrom(path, { metadata: { labels: { extra: 'yes' } } });
      expect(labelled.after.metadata.generation).toBe(labelled.before.metadata.generation);
      expect(Number(labelled.after.metadata.resourceVersion)).toBeGreaterThan(Number(labelled.before.metadata.resourceVersion));

      const annotated = await patchFrom(path, { metadata: { annotations: { note: 'x' } } });
      expect(annotated.after.metadata.generation).toBe(annotated.before.metadata.generation);

      // a PUT of the status subresource
      const cur = json(await api(te, 'GET', path));
      const withStatus = json(await api(te, 'PUT', `${path}/status`, { body: JSON.stringify({ ...cur, status: { replicas: 0, observedGeneration: cur.metadata.generation } }) }));
      expect(withStatus.metadata.generation).toBe(cur.metadata.generation);
      expect(withStatus.status).toMatchObject({ observedGeneration: cur.metadata.generation });

      // status sent to the main resource is ignored; spec sent to /status is ignored
      const statusViaMain = await patchFrom(path, { status: { replicas: 7 } });
      expect(statusViaMain.after.metadata.generation).toBe(statusViaMain.before.metadata.generation);
      expect(statusViaMain.after.status?.replicas).toBe(0);
      const specViaStatus = json(await api(te, 'PATCH', `${path}/status`, { body: JSON.stringify({ spec: { replicas: 4 } }), contentType: MERGE }));
      expect(specViaStatus.spec?.replicas).toBe(0);
      expect(specViaStatus.metadata.generation).toBe(statusViaMain.after.metadata.generation);

      const specChange = await patchFrom(path, { spec: { minReadySeconds: 3 } });
      expect(specChange.after.metadata.generation).toBe((specChange.before.metadata.generation ?? 0) + 1);

      // a write that changes nothing changes nothing, not even the resourceVersion
      const noop = await patchFrom(path, { spec: { minReadySeconds: 3 } });
      expect(noop.after.metadata.resourceVersion).toBe(noop.before.metadata.resourceVersion);
      expect(noop.after.metadata.generation).toBe(noop.before.metadata.generation);

      // kinds without spec carry no generation
      const cm = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: cmBody('no-generation') }), 201);
      expect(cm.metadata.generation).toBeUndefined();
    });

    it('bumps a Deployment\'s generation on annotation changes too (they are copied to its ReplicaSets)', async () => {
      const body = { ...rsBody, kind: 'Deployment', metadata: { name: 'gen-dep' }, spec: { ...rsBody.spec, paused: true, selector: { matchLabels: { gen: 'dep' } }, template: { ...rsBody.spec.template, metadata: { labels: { gen: 'dep' } } } } };
      json(await api(te, 'POST', DEP, { body: JSON.stringify(body) }), 201);
      const annotated = await patchFrom(`${DEP}/gen-dep`, { metadata: { annotations: { 'example.com/note': 'x' } } });
      expect(annotated.after.metadata.generation).toBe((annotated.before.metadata.generation ?? 0) + 1);
      const labelled = await patchFrom(`${DEP}/gen-dep`, { metadata: { labels: { l: 'x' } } });
      expect(labelled.after.metadata.generation).toBe(labelled.before.metadata.generation);
    });

    it('keeps uid and creationTimestamp: a new creationTimestamp is ignored, another uid is refused', async () => {
      const path = '/api/v1/namespaces/default/configmaps/immutable';
      const created = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: cmBody('immutable') }), 201);
      expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const moved = json(await api(te, 'PUT', path, { body: JSON.stringify({ ...created, metadata: { ...created.metadata, creationTimestamp: '2001-01-01T00:00:00Z' }, data: { v: '2' } }) }));
      expect(moved.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
      expect(moved.data).toEqual({ v: '2' });

      const withoutUid = json(await api(te, 'PUT', path, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'immutable' }, data: { v: '3' } }) }));
      expect(withoutUid.metadata.uid).toBe(created.metadata.uid);

      const otherUid = await api(te, 'PUT', path, { body: JSON.stringify({ ...withoutUid, metadata: { ...withoutUid.metadata, uid: 'd3b07384-d9a0-4c9b-8a0d-000000000000' } }) });
      expect(otherUid.status).toBe(409);
      expect(json<{ reason: string }>(otherUid, 409).reason).toBe('Conflict');

      const patchedUid = await api(te, 'PATCH', path, { body: JSON.stringify({ metadata: { uid: 'd3b07384-d9a0-4c9b-8a0d-000000000000' } }), contentType: MERGE });
      const status = json<{ reason: string; details: { causes: Array<{ field: string }> } }>(patchedUid, 422);
      expect(status.reason).toBe('Invalid');
      expect(status.details.causes.map((c) => c.field)).toEqual(['metadata.uid']);

      const now = json(await api(te, 'GET', path));
      expect(now.metadata.uid).toBe(created.metadata.uid);
      expect(now.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
      expect(now.data).toEqual({ v: '3' });
    });

    it('stores resource quantities in canonical form, as strings', async () => {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'quantities' },
        spec: {
          containers: [{ name: 'c', image: 'busybox:1.36', resources: { limits: { cpu: 2, memory: '1024Mi' }, requests: { cpu: '0.5' } } }],
          volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1000M' } }],
        },
      };
      const created = json(await api(te, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { body: JSON.stringify(pod) }), 201);
      const spec = created.spec as { containers: Array<{ resources: unknown }>; volumes: Array<{ emptyDir: unknown }> };
      // requests default to the limits they do not set (SetDefaults_Pod)
      expect(spec.containers[0].resources).toEqual({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
      expect(spec.volumes[0].emptyDir).toEqual({ sizeLimit: '1G' });
    });

    it('names objects from generateName', async () => {
      const names = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const o = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } }) }), 201);
        expect(o.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
        names.add(o.metadata.name);
      }
      expect(names.size).toBe(5);
      // the base is cut to 58 characters so the name stays within 63
      const long = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${'a'.repeat(70)}-` } }) }), 201);
      expect(long.metadata.name).toMatch(new RegExp(`^${'a'.repeat(58)}[a-z0-9]{5}$`));
      // a given name wins over generateName
      const named = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'explicit', generateName: 'gen-' } }) }), 201);
      expect(named.metadata.name).toBe('explicit');
      // dry run generates a name but stores nothing
      const before = te.engine.store.resourceVersion;
      const dry = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'dry-' } }) }), 201);
      expect(dry.metadata.name).toMatch(/^dry-[a-z0-9]{5}$/);
      expect(te.engine.store.resourceVersion).toBe(before);
      expect((await api(te, 'GET', `/api/v1/namespaces/default/configmaps/${dry.metadata.name}`)).status).toBe(404);
    });

    it('refuses writes from a stale resourceVersion with 409 Conflict', async () => {
      const path = '/api/v1/namespaces/default/configmaps/optimistic';
      const v1 = json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: cmBody('optimistic') }), 201);
      const v2 = json(await api(te, 'PUT', path, { body: JSON.stringify({ ...v1, data: { v: '2' } }) }));
      expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
      const stalePut = await api(te, 'PUT', path, { body: JSON.stringify({ ...v1, data: { v: 'stale' } }) });
      expect(json<{ reason: string }>(stalePut, 409).reason).toBe('Conflict');
      const stalePatch = await api(te, 'PATCH', path, { body: JSON.stringify({ metadata: { resourceVersion: v1.metadata.resourceVersion }, data: { v: 'stale' } }), contentType: MERGE });
      expect(json<{ reason: string }>(stalePatch, 409).reason).toBe('Conflict');
      // a PUT without resourceVersion is unconditional
      const unconditional = json(await api(te, 'PUT', path, { body: cmBody('optimistic', { data: { v: '3' } }) }));
      expect(unconditional.data).toEqual({ v: '3' });
      // delete with a stale resourceVersion precondition
      const staleDelete = await api(te, 'DELETE', path, { body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: v1.metadata.resourceVersion } }) });
      expect(json<{ reason: string }>(staleDelete, 409).reason).toBe('Conflict');
      expect((await api(te, 'GET', path)).status).toBe(200);
    });

    it('keeps an object with finalizers until they are emptied, then deletes it with a DELETED event', async () => {
      await ensureNamespace(te, 'fin');
      const base = '/api/v1/namespaces/fin/configmaps';
      const created = json(await api(te, 'POST', base, { body: cmBody('held', { metadata: { name: 'held', finalizers: ['example.com/hold'] } }) }), 201);
      const watch = await openWatch(te, `${base}?watch=true&resourceVersion=${created.metadata.resourceVersion}`);
      try {
        const del = await api(te, 'DELETE', `${base}/held`);
        const deleting = json(del);
        expect(deleting.kind).toBe('ConfigMap');
        expect(deleting.metadata.deletionTimestamp).toMatch(/Z$/);
        expect(deleting.metadata.finalizers).toEqual(['example.com/hold']);

        const still = json(await api(te, 'GET', `${base}/held`));
        expect(still.metadata.deletionTimestamp).toBe(deleting.metadata.deletionTimestamp);
        expect(json<List>(await api(te, 'GET', base)).items.map((i) => i.metadata.name)).toEqual(['held']);
        // a second delete changes nothing; no new finalizers may be added now
        expect(json(await api(te, 'DELETE', `${base}/held`)).metadata.deletionTimestamp).toBe(deleting.metadata.deletionTimestamp);
        const added = await api(te, 'PATCH', `${base}/held`, { body: JSON.stringify({ metadata: { finalizers: ['example.com/hold', 'example.com/more'] } }), contentType: MERGE });
        expect(json<{ reason: string }>(added, 422).reason).toBe('Invalid');
        // the data can still change while it waits
        json(await api(te, 'PATCH', `${base}/held`, { body: JSON.stringify({ data: { v: 'late' } }), contentType: MERGE }));

        const released = await api(te, 'PATCH', `${base}/held`, { body: JSON.stringify({ metadata: { finalizers: null } }), contentType: MERGE });
        expect(released.status).toBe(200);
        expect((await api(te, 'GET', `${base}/held`)).status).toBe(404);

        await eventually(() => watch.events.some((e) => e.type === 'DELETED'));
        const types = watch.events.map((e) => e.type);
        expect(types[0]).toBe('MODIFIED');
        expect(watch.events[0].object.metadata.deletionTimestamp).toBe(deleting.metadata.deletionTimestamp);
        expect(types[types.length - 1]).toBe('DELETED');
        expect(types.filter((t) => t === 'DELETED')).toHaveLength(1);
        const last = watch.events[watch.events.length - 1].object;
        expect(last.metadata.name).toBe('held');
        expect(last.data).toEqual({ v: 'late' });
      } finally {
        watch.close();
      }
    });
  });

  describe('selectors and paging', () => {
    beforeAll(async () => {
      await ensureNamespace(te, 'sel');
      const labels: Record<string, Record<string, string>> = {
        a: { env: 'prod', tier: 'web' },
        b: { env: 'prod', tier: 'db' },
        c: { env: 'dev', tier: 'web' },
        d: { env: 'test' },
        e: {},
        f: { env: 'dev', canary: 'true' },
      };
      for (const [name, l] of Object.entries(labels)) {
        json(await api(te, 'POST', '/api/v1/namespaces/sel/configmaps', { body: cmBody(name, { metadata: { name, labels: l } }) }), 201);
      }
    });

    async function names(path: string): Promise<string[]> {
      return json<List>(await api(te, 'GET', path)).items.map((i) => i.metadata.name);
    }

    it.each([
      ['env=prod', ['a', 'b']],
      ['env==prod', ['a', 'b']],
      ['env!=prod', ['c', 'd', 'e', 'f']],
      ['env in (prod,dev)', ['a', 'b', 'c', 'f']],
      ['env notin (prod,dev)', ['d', 'e']],
      ['tier', ['a', 'b', 'c']],
      ['!tier', ['d', 'e', 'f']],
      ['env=prod,tier=web', ['a']],
      ['env in (dev),!canary', ['c']],
      ['tier,env!=dev', ['a', 'b']],
      ['env=nothing', []],
    ])('labelSelector %s', async (selector, expected) => {
      expect(await names(`/api/v1/namespaces/sel/configmaps?labelSelector=${encodeURIComponent(selector)}`)).toEqual(expected);
    });

    it('fieldSelector on metadata.name and metadata.namespace, with = == and !=', async () => {
      expect(await names(`/api/v1/namespaces/sel/configmaps?fieldSelector=${encodeURIComponent('metadata.name=c')}`)).toEqual(['c']);
      expect(await names(`/api/v1/namespaces/sel/configmaps?fieldSelector=${encodeURIComponent('metadata.name==c')}`)).toEqual(['c']);
      expect(await names(`/api/v1/namespaces/sel/configmaps?fieldSelector=${encodeURIComponent('metadata.name!=c')}`)).toEqual(['a', 'b', 'd', 'e', 'f']);
      expect(await names(`/api/v1/configmaps?fieldSelector=${encodeURIComponent('metadata.namespace=sel')}`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(await names(`/api/v1/namespaces/sel/configmaps?fieldSelector=${encodeURIComponent('metadata.name!=a,metadata.name!=b')}&labelSelector=env`)).toEqual(['c', 'd', 'f']);
    });

    it('fieldSelector on status.phase and spec.nodeName for pods', async () => {
      const pods = '/api/v1/namespaces/sel/pods';
      const spec = (node: string): Record<string, unknown> => ({ nodeName: node, containers: [{ name: 'c', image: 'busybox:1.36' }] });
      const phases: Array<[string, string, string]> = [['p-run', 'node-a', 'Running'], ['p-pend', 'node-a', 'Pending'], ['p-done', 'node-b', 'Succeeded']];
      for (const [name, node, phase] of phases) {
        const created = json(await api(te, 'POST', pods, { body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: spec(node) }) }), 201);
        json(await api(te, 'PUT', `${pods}/${name}/status`, { body: JSON.stringify({ ...created, status: { phase } }) }));
      }
      expect(await names(`${pods}?fieldSelector=${encodeURIComponent('status.phase=Running')}`)).toEqual(['p-run']);
      expect(await names(`${pods}?fieldSelector=${encodeURIComponent('status.phase!=Running')}`)).toEqual(['p-done', 'p-pend']);
      expect(await names(`${pods}?fieldSelector=${encodeURIComponent('spec.nodeName=node-a')}`)).toEqual(['p-pend', 'p-run']);
      expect(await names(`${pods}?fieldSelector=${encodeURIComponent('spec.nodeName=node-b,status.phase=Succeeded')}`)).toEqual(['p-done']);
      expect(await names(`/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=node-b')}`)).toEqual(['p-done']);
    });

    it('fieldSelector on involvedObject.* for events', async () => {
      const events = '/api/v1/namespaces/sel/events';
      const ev = (name: string, kind: string, target: string, uid: string): string =>
        JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind, name: target, namespace: 'sel', uid }, reason: 'Test', message: `about ${target}`, type: 'Normal' });
      json(await api(te, 'POST', events, { body: ev('e1', 'Pod', 'web-1', 'u-1') }), 201);
      json(await api(te, 'POST', events, { body: ev('e2', 'Pod', 'web-2', 'u-2') }), 201);
      json(await api(te, 'POST', events, { body: ev('e3', 'Deployment', 'web-1', 'u-3') }), 201);
      expect(await names(`${events}?fieldSelector=${encodeURIComponent('involvedObject.name=web-1')}`)).toEqual(['e1', 'e3']);
      expect(await names(`${events}?fieldSelector=${encodeURIComponent('involvedObject.name=web-1,involvedObject.kind=Pod')}`)).toEqual(['e1']);
      expect(await names(`${events}?fieldSelector=${encodeURIComponent('involvedObject.uid=u-2')}`)).toEqual(['e2']);
      expect(await names(`${events}?fieldSelector=${encodeURIComponent('involvedObject.namespace=sel,reason=Test,type=Normal')}`)).toEqual(['e1', 'e2', 'e3']);
      expect(await names(`${events}?fieldSelector=${encodeURIComponent('involvedObject.kind!=Pod')}`)).toEqual(['e3']);
    });

    it('pages with limit/continue over 25 objects, with remainingItemCount', async () => {
      await ensureNamespace(te, 'paging');
      const all: string[] = [];
      for (let i = 0; i < 25; i++) {
        const name = `page-${String(i).padStart(2, '0')}`;
        all.push(name);
        json(await api(te, 'POST', '/api/v1/namespaces/paging/configmaps', { body: cmBody(name) }), 201);
      }
      const seen: string[] = [];
      const remaining: Array<number | undefined> = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const q = `limit=10${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const page = json<List>(await api(te, 'GET', `/api/v1/namespaces/paging/configmaps?${q}`));
        expect(page.kind).toBe('ConfigMapList');
        seen.push(...page.items.map((i) => i.metadata.name));
        remaining.push(page.metadata.remainingItemCount);
        cont = page.metadata.continue || undefined;
        pages++;
      } while (cont && pages < 10);
      expect(pages).toBe(3);
      expect(remaining).toEqual([15, 5, undefined]);
      expect(seen).toEqual(all);
      // paging composes with selectors, and limit=0 means everything
      const selected = json<List>(await api(te, 'GET', `/api/v1/namespaces/paging/configmaps?limit=2&fieldSelector=${encodeURIComponent('metadata.name!=page-00')}`));
      expect(selected.items.map((i) => i.metadata.name)).toEqual(['page-01', 'page-02']);
      expect(selected.metadata.remainingItemCount).toBe(22);
      expect(json<List>(await api(te, 'GET', '/api/v1/namespaces/paging/configmaps?limit=0')).items).toHaveLength(25);
    });
  });

  describe('watch', () => {
    it('resumes from a resourceVersion with exactly the later events, in order', async () => {
      await ensureNamespace(te, 'resume');
      const base = '/api/v1/namespaces/resume/configmaps';
      const r0 = json(await api(te, 'POST', base, { body: cmBody('r0') }), 201);
      const from = r0.metadata.resourceVersion;
      json(await api(te, 'POST', base, { body: cmBody('r1') }), 201);
      json(await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: cmBody('elsewhere') }), 201);
      json(await api(te, 'PATCH', `${base}/r1`, { body: '{"data":{"v":"2"}}', contentType: MERGE }));
      json(await api(te, 'DELETE', `${base}/r0`));

      const w = await openWatch(te, `${base}?watch=true&resourceVersion=${from}&timeoutSeconds=1`);
      expect(w.status).toBe(200);
      await w.ended;
      const seen = w.events.map((e) => `${e.type} ${e.object.metadata.name}`);
      expect(seen).toEqual(['ADDED r1', 'MODIFIED r1', 'DELETED r0']);
      const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(rvs[0]).toBeGreaterThan(Number(from));
      for (const e of w.events) expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });

      // resuming from the middle replays only what came after
      const mid = await openWatch(te, `${base}?watch=true&resourceVersion=${rvs[1]}&timeoutSeconds=1`);
      await mid.ended;
      expect(mid.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED r0']);

      // no resourceVersion: the current state as ADDED events, then live ones
      const fresh = await openWatch(te, `${base}?watch=true&timeoutSeconds=2`);
      await eventually(() => fresh.events.length >= 1);
      json(await api(te, 'POST', base, { body: cmBody('r2') }), 201);
      await fresh.ended;
      expect(fresh.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED r1', 'ADDED r2']);
    });

    it('ends a timed-out watch with a bookmark when bookmarks are allowed', async () => {
      await ensureNamespace(te, 'bm');
      const base = '/api/v1/namespaces/bm/configmaps';
      const start = json<List>(await api(te, 'GET', base)).metadata.resourceVersion;
      const w = await openWatch(te, `${base}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${start}`);
      json(await api(te, 'POST', base, { body: cmBody('b1') }), 201);
      await w.ended;
      expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      const bm = w.events[1].object;
      expect(bm).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: bm.metadata.resourceVersion } });
      expect(Number(bm.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(w.events[0].object.metadata.resourceVersion));

      const plain = await openWatch(te, `${base}?watch=true&timeoutSeconds=1&resourceVersion=${start}`);
      await plain.ended;
      expect(plain.events.map((e) => e.type)).toEqual(['ADDED']);
    });

    it('ends the stream after timeoutSeconds, without an ERROR event', async () => {
      const t0 = Date.now();
      const w = await openWatch(te, '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=0');
      expect(w.status).toBe(200);
      await w.ended;
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(5000);
      expect(w.events.every((e) => e.type === 'ADDED')).toBe(true);
    });

    it('turns label changes into ADDED and DELETED for a selector-filtered watch', async () => {
      await ensureNamespace(te, 'selw');
      const base = '/api/v1/namespaces/selw/configmaps';
      const start = json<List>(await api(te, 'GET', base)).metadata.resourceVersion;
      const w = await openWatch(te, `${base}?watch=true&resourceVersion=${start}&labelSelector=${encodeURIComponent('app=watched')}`);
      try {
        json(await api(te, 'POST', base, { body: cmBody('w') }), 201);
        json(await api(te, 'PATCH', `${base}/w`, { body: '{"data":{"v":"unlabelled"}}', contentType: MERGE }));
        json(await api(te, 'PATCH', `${base}/w`, { body: '{"metadata":{"labels":{"app":"watched"}}}', contentType: MERGE }));
        json(await api(te, 'PATCH', `${base}/w`, { body: '{"data":{"v":"labelled"}}', contentType: MERGE }));
        json(await api(te, 'PATCH', `${base}/w`, { body: '{"metadata":{"labels":{"app":"other"}}}', contentType: MERGE }));
        json(await api(te, 'DELETE', `${base}/w`));
        json(await api(te, 'POST', base, { body: cmBody('born-matching', { metadata: { name: 'born-matching', labels: { app: 'watched' } } }) }), 201);
        await eventually(() => w.events.some((e) => e.object.metadata.name === 'born-matching'));
        expect(w.events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.app ?? '-'}`)).toEqual([
          'ADDED w watched',
          'MODIFIED w watched',
          'DELETED w other',
          'ADDED born-matching watched',
        ]);
      } finally {
        w.close();
      }
    });

    it('delivers an event to 100 concurrent watchers', async () => {
      await ensureNamespace(te, 'many');
      const base = '/api/v1/namespaces/many/configmaps';
      const start = json<List>(await api(te, 'GET', base)).metadata.resourceVersion;
      const watches = await Promise.all(Array.from({ length: 100 }, () => openWatch(te, `${base}?watch=true&resourceVersion=${start}`)));
      try {
        expect(watches.every((w) => w.status === 200)).toBe(true);
        const t0 = Date.now();
        json(await api(te, 'POST', base, { body: cmBody('broadcast') }), 201);
        await eventually(() => watches.every((w) => w.events.length >= 1), 10_000);
        expect(Date.now() - t0).toBeLessThan(5000);
        for (const w of watches) expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED broadcast']);
        // writes are not slowed down by the watchers: another create is acknowledged promptly
        const t1 = Date.now();
        json(await api(te, 'POST', base, { body: cmBody('second') }), 201);
        expect(Date.now() - t1).toBeLessThan(1000);
        await eventually(() => watches.every((w) => w.events.length >= 2), 10_000);
      } finally {
        for (const w of watches) w.close();
      }
    });
  });

  describe('tables', () => {
    const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const KUBECTL_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

    interface Table {
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion?: string };
      columnDefinitions: Array<{ name: string; type: string; format: string; priority: number }>;
      rows: Array<{ cells: unknown[]; object?: Obj }>;
    }

    beforeAll(async () => {
      await ensureNamespace(te, 'tables');
      json(await api(te, 'POST', '/api/v1/namespaces/tables/configmaps', { body: cmBody('t1', { data: { a: '1', b: '2' } }) }), 201);
      json(await api(te, 'POST', '/api/v1/namespaces/tables/configmaps', { body: cmBody('t2') }), 201);
    });

    it('answers a list with a meta.k8s.io/v1 Table whose rows carry kind and apiVersion', async () => {
      const t = json<Table>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps', { accept: KUBECTL_ACCEPT }));
      expect(t.kind).toBe('Table');
      expect(t.apiVersion).toBe('meta.k8s.io/v1');
      expect(Number(t.metadata.resourceVersion)).toBeGreaterThan(0);
      expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
      expect(t.columnDefinitions[0]).toMatchObject({ type: 'string', format: 'name', priority: 0 });
      expect(t.rows).toHaveLength(2);
      expect(t.rows[0].cells.slice(0, 2)).toEqual(['t1', 2]);
      for (const row of t.rows) {
        expect(row.cells).toHaveLength(t.columnDefinitions.length);
        expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { namespace: 'tables' } });
        expect(row.object?.data).toBeUndefined();
      }
    });

    it('includes the full object with includeObject=Object, none with includeObject=None', async () => {
      const full = json<Table>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps?includeObject=Object', { accept: TABLE }));
      expect(full.rows[0].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 't1' }, data: { a: '1', b: '2' } });
      const none = json<Table>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps?includeObject=None', { accept: TABLE }));
      expect(none.rows.every((r) => r.object === undefined)).toBe(true);
    });

    it('answers a single GET with a one-row Table, and v1beta1 when asked', async () => {
      const one = json<Table>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps/t2', { accept: TABLE }));
      expect(one.kind).toBe('Table');
      expect(one.rows).toHaveLength(1);
      expect(one.rows[0].cells[0]).toBe('t2');
      const beta = json<Table>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps', { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' }));
      expect(beta.apiVersion).toBe('meta.k8s.io/v1beta1');
      expect(beta.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1' });
    });

    it('uses the columns kube-apiserver prints for deployments and pods (wide ones at priority 1)', async () => {
      const dep = json<Table>(await api(te, 'GET', '/apis/apps/v1/deployments', { accept: TABLE }));
      expect(dep.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
        'Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1',
      ]);
      const pods = json<Table>(await api(te, 'GET', '/api/v1/pods', { accept: TABLE }));
      expect(pods.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
        'Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1',
      ]);
    });

    it('sends Table watch events, and PartialObjectMetadataList when asked for metadata', async () => {
      const start = json<List>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps')).metadata.resourceVersion;
      const w = await openWatch(te, `/api/v1/namespaces/tables/configmaps?watch=true&resourceVersion=${start}&timeoutSeconds=1`, TABLE);
      json(await api(te, 'POST', '/api/v1/namespaces/tables/configmaps', { body: cmBody('t3') }), 201);
      await w.ended;
      expect(w.events).toHaveLength(1);
      const table = w.events[0].object as unknown as Table;
      expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
      expect(table.rows[0].cells[0]).toBe('t3');
      expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 't3' } });

      const meta = json<List>(await api(te, 'GET', '/api/v1/namespaces/tables/configmaps', { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' }));
      expect(meta.kind).toBe('PartialObjectMetadataList');
      expect(meta.items.map((i) => i.kind)).toEqual(['PartialObjectMetadata', 'PartialObjectMetadata', 'PartialObjectMetadata']);
      expect(meta.items[0].data).toBeUndefined();
    });
  });
});

describe('watch after the history is compacted', () => {
  let te: TestEngine;
  beforeAll(async () => {
    te = await startTestEngine();
  });
  afterAll(async () => {
    await te?.stop();
  });

  it('answers a resume from before the history with a 200 stream holding one ERROR 410 Expired event', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const old = json(await api(te, 'POST', base, { body: cmBody('old') }), 201);
    for (let i = 0; i < 3; i++) json(await api(te, 'POST', base, { body: cmBody(`later-${i}`) }), 201);
    await te.engine.store.whenDurable();
    te.engine.store.compact(te.engine.store.resourceVersion);

    const w = await openWatch(te, `${base}?watch=true&resourceVersion=${old.metadata.resourceVersion}`);
    expect(w.status).toBe(200);
    await Promise.race([w.ended, new Promise((r) => setTimeout(r, 5000))]);
    expect(w.isEnded()).toBe(true);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('ERROR');
    expect(w.events[0].object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });

    // a watch from now still works, and a relist + watch from the list's resourceVersion sees new writes
    const list = json<List>(await api(te, 'GET', base));
    expect(list.items).toHaveLength(4);
    const again = await openWatch(te, `${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`);
    json(await api(te, 'POST', base, { body: cmBody('after-compaction') }), 201);
    await again.ended;
    expect(again.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after-compaction']);
  });
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
