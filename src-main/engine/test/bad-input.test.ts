/**
 * Bad input over raw HTTPS: every malformed, invalid or unauthorised request gets the status code and
 * `reason` kube-apiserver gives it, as a Status object; nothing is written (the store's resourceVersion
 * does not move and the list is unchanged), and the server goes on serving. Then kubectl's view of a few.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, kubectl, kubectlBinaries, startTestEngine, type ApiResponse, type TestEngine } from './harness';

interface StatusLike {
  kind: string;
  apiVersion: string;
  status: string;
  reason: string;
  code: number;
  message: string;
  details?: { name?: string; kind?: string; causes?: Array<{ reason?: string; field?: string; message?: string }> };
}

interface ListLike {
  metadata: { resourceVersion: string };
  items: Array<{ metadata: { name: string; resourceVersion: string } }>;
}

const CMS = '/api/v1/namespaces/default/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

function cm(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, ...extra });
}

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'guarded' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'guarded' } },
    template: { metadata: { labels: { app: 'guarded' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
};

interface BadRequestCase {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  token?: string | null;
  code: number;
  reason: string;
  /** the collection whose items must not change */
  list?: string;
  /** cause fields the Status must name */
  causes?: string[];
  message?: RegExp;
}

describe('bad input over HTTPS', () => {
  let te: TestEngine;

  beforeAll(async () => {
    te = await startTestEngine();
    const seeded = await api(te, 'POST', CMS, { body: cm('existing') });
    expect(seeded.status).toBe(201);
    const dep = await api(te, 'POST', DEPLOYS, { body: JSON.stringify(DEPLOYMENT) });
    expect(dep.status).toBe(201);
  });
  afterAll(async () => {
    await te?.stop();
  });

  async function listState(path: string): Promise<Array<[string, string]>> {
    const r = await api(te, 'GET', path);
    expect(r.status).toBe(200);
    return (r.json() as ListLike).items.map((i) => [i.metadata.name, i.metadata.resourceVersion]);
  }

  /** Send a request that must be refused; check the Status, that nothing was stored, and that serving goes on. */
  async function expectRefused(c: Omit<BadRequestCase, 'name'>): Promise<StatusLike> {
    const list = c.list ?? CMS;
    const before = await listState(list);
    const rvBefore = te.engine.store.resourceVersion;
    const r: ApiResponse = await api(te, c.method, c.path, { body: c.body, contentType: c.contentType, token: c.token });
    expect(r.status, r.text.slice(0, 500)).toBe(c.code);
    expect(r.headers['content-type']).toBe('application/json');
    const status = r.json() as StatusLike;
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: c.reason, code: c.code });
    expect(typeof status.message).toBe('string');
    if (c.message) expect(status.message).toMatch(c.message);
    if (c.causes) {
      expect(status.details?.causes?.map((x) => x.field)).toEqual(expect.arrayContaining(c.causes));
      for (const cause of status.details?.causes ?? []) expect(typeof cause.reason).toBe('string');
    }
    await te.engine.store.whenDurable();
    expect(te.engine.store.resourceVersion, 'nothing may be written').toBe(rvBefore);
    expect(await listState(list)).toEqual(before);
    // ... and the server still serves a good request right after.
    const good = await api(te, 'GET', `${CMS}/existing`);
    expect(good.status).toBe(200);
    return status;
  }

  const longName = 'a'.repeat(300);
  const cases: BadRequestCase[] = [
    { name: 'malformed JSON', method: 'POST', path: CMS, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"', code: 400, reason: 'BadRequest' },
    { name: 'a JSON body that is not an object', method: 'POST', path: CMS, body: '[1,2,3]', code: 400, reason: 'BadRequest' },
    { name: 'an empty body', method: 'POST', path: CMS, body: '', code: 400, reason: 'BadRequest' },
    { name: 'metadata that is not an object', method: 'POST', path: CMS, body: '{"metadata":"x"}', code: 400, reason: 'BadRequest' },
    {
      name: 'malformed YAML',
      method: 'POST',
      path: CMS,
      contentType: 'application/yaml',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n  name: y\n',
      code: 400,
      reason: 'BadRequest',
    },
    {
      name: 'YAML with two documents',
      method: 'POST',
      path: CMS,
      contentType: 'application/yaml',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y2}\n',
      code: 400,
      reason: 'BadRequest',
    },
    { name: 'a body kind that does not match the URL', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'k' } }), code: 400, reason: 'BadRequest', message: /Pod/ },
    { name: 'an unknown kind', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'Frobnicator', metadata: { name: 'k' } }), code: 400, reason: 'BadRequest' },
    { name: 'an unknown apiVersion', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v9', kind: 'ConfigMap', metadata: { name: 'k' } }), code: 400, reason: 'BadRequest', message: /v9/ },
    { name: 'another group\'s apiVersion', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'k' } }), code: 400, reason: 'BadRequest' },
    { name: 'an unknown resource', method: 'GET', path: '/api/v1/namespaces/default/frobnicators', code: 404, reason: 'NotFound' },
    { name: 'a create of an unknown resource', method: 'POST', path: '/apis/example.com/v1/namespaces/default/widgets', body: '{"metadata":{"name":"w"}}', code: 404, reason: 'NotFound' },
    { name: 'an unknown version of a known group', method: 'GET', path: '/apis/apps/v2/deployments', code: 404, reason: 'NotFound' },
    { name: 'a namespace that does not exist', method: 'POST', path: '/api/v1/namespaces/nowhere/configmaps', body: cm('lost'), code: 404, reason: 'NotFound' },
    { name: 'a missing name', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), code: 422, reason: 'Invalid', causes: ['metadata.name'] },
    { name: 'no metadata at all', method: 'POST', path: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap' }), code: 422, reason: 'Invalid', causes: ['metadata.name'] },
    { name: 'the name Bad_Name', method: 'POST', path: CMS, body: cm('Bad_Name'), code: 422, reason: 'Invalid', causes: ['metadata.name'], message: /ConfigMap "Bad_Name" is invalid/ },
    { name: 'a 300-character name', method: 'POST', path: CMS, body: cm(longName), code: 422, reason: 'Invalid', causes: ['metadata.name'], message: /must be no more than 253 characters/ },
    { name: 'a Service name that is not a DNS-1035 label', method: 'POST', path: '/api/v1/namespaces/default/services', list: '/api/v1/namespaces/default/services', body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1abc' }, spec: { ports: [{ port: 80 }] } }), code: 422, reason: 'Invalid', causes: ['metadata.name'] },
    { name: 'an invalid label key', method: 'POST', path: CMS, body: cm('lk', { metadata: { name: 'lk', labels: { 'bad key!': 'v' } } }), code: 422, reason: 'Invalid', causes: ['metadata.labels'] },
    { name: 'a label key with an invalid prefix', method: 'POST', path: CMS, body: cm('lp', { metadata: { name: 'lp', labels: { 'Not_A_Domain/x': 'v' } } }), code: 422, reason: 'Invalid', causes: ['metadata.labels'] },
    { name: 'an invalid label value', method: 'POST', path: CMS, body: cm('lv', { metadata: { name: 'lv', labels: { ok: '-bad-' } } }), code: 422, reason: 'Invalid', causes: ['metadata.labels'] },
    { name: 'a 64-character label value', method: 'POST', path: CMS, body: cm('ll', { metadata: { name: 'll', labels: { ok: 'v'.repeat(64) } } }), code: 422, reason: 'Invalid', causes: ['metadata.labels'] },
    { name: 'an invalid annotation key', method: 'POST', path: CMS, body: cm('ak', { metadata: { name: 'ak', annotations: { 'no spaces': 'v' } } }), code: 422, reason: 'Invalid', causes: ['metadata.annotations'] },
    { name: 'a resourceVersion on create', method: 'POST', path: CMS, body: cm('rv', { metadata: { name: 'rv', resourceVersion: '5' } }), code: 400, reason: 'BadRequest' },
    { name: 'a Deployment without a selector', method: 'POST', path: DEPLOYS, list: DEPLOYS, body: JSON.stringify({ ...DEPLOYMENT, metadata: { name: 'nosel' }, spec: { ...DEPLOYMENT.spec, selector: undefined } }), code: 422, reason: 'Invalid', causes: ['spec.selector'] },
    { name: 'a body over 3 MiB', method: 'POST', path: CMS, body: cm('huge', { data: { big: 'x'.repeat(3 * 1024 * 1024 + 10) } }), code: 413, reason: 'RequestEntityTooLarge' },
    { name: 'no token', method: 'GET', path: CMS, token: null, code: 401, reason: 'Unauthorized' },
    { name: 'a wrong token', method: 'GET', path: CMS, token: 'not-the-token', code: 401, reason: 'Unauthorized' },
    { name: 'a write with a wrong token', method: 'POST', path: CMS, body: cm('sneaky'), token: 'not-the-token', code: 401, reason: 'Unauthorized' },
    { name: 'discovery with a wrong token', method: 'GET', path: '/api/v1', token: 'x', code: 401, reason: 'Unauthorized' },
    { name: 'a patch with Content-Type application/json', method: 'PATCH', path: `${CMS}/existing`, body: '{"data":{"a":"2"}}', contentType: 'application/json', code: 415, reason: 'UnsupportedMediaType' },
    { name: 'a patch with Content-Type text/plain', method: 'PATCH', path: `${CMS}/existing`, body: '{"data":{"a":"2"}}', contentType: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
    {
      name: 'a JSON patch removing every container',
      method: 'PATCH',
      path: `${DEPLOYS}/guarded`,
      list: DEPLOYS,
      body: JSON.stringify([{ op: 'remove', path: '/spec/template/spec/containers' }]),
      contentType: 'application/json-patch+json',
      code: 422,
      reason: 'Invalid',
      causes: ['spec.template.spec.containers'],
      message: /Deployment\.apps "guarded" is invalid/,
    },
    {
      name: 'a merge patch making replicas negative',
      method: 'PATCH',
      path: `${DEPLOYS}/guarded`,
      list: DEPLOYS,
      body: JSON.stringify({ spec: { replicas: -1 } }),
      contentType: 'application/merge-patch+json',
      code: 422,
      reason: 'Invalid',
      causes: ['spec.replicas'],
    },
    {
      name: 'a strategic merge patch changing the immutable selector',
      method: 'PATCH',
      path: `${DEPLOYS}/guarded`,
      list: DEPLOYS,
      body: JSON.stringify({ spec: { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } } }),
      contentType: 'application/strategic-merge-patch+json',
      code: 422,
      reason: 'Invalid',
      causes: ['spec.selector'],
    },
    {
      name: 'a JSON patch whose test op fails',
      method: 'PATCH',
      path: `${CMS}/existing`,
      body: JSON.stringify([{ op: 'test', path: '/data/a', value: 'not-1' }, { op: 'replace', path: '/data/a', value: '9' }]),
      contentType: 'application/json-patch+json',
      code: 422,
      reason: 'Invalid',
    },
    { name: 'a JSON patch that is not a list of ops', method: 'PATCH', path: `${CMS}/existing`, body: '{"op":"add"}', contentType: 'application/json-patch+json', code: 400, reason: 'BadRequest' },
    { name: 'a JSON patch replacing a missing path', method: 'PATCH', path: `${CMS}/existing`, body: '[{"op":"replace","path":"/metadata/labels/nope","value":"x"}]', contentType: 'application/json-patch+json', code: 422, reason: 'Invalid' },
    { name: 'a patch of an object that does not exist', method: 'PATCH', path: `${CMS}/ghost`, body: '{"data":{"a":"2"}}', contentType: 'application/merge-patch+json', code: 404, reason: 'NotFound' },
    { name: 'a patch of a collection', method: 'PATCH', path: CMS, body: '{"data":{"a":"2"}}', contentType: 'application/merge-patch+json', code: 405, reason: 'MethodNotAllowed' },
    { name: 'a PUT to a collection', method: 'PUT', path: CMS, body: cm('existing'), code: 405, reason: 'MethodNotAllowed' },
    { name: 'a POST to a named object', method: 'POST', path: `${CMS}/existing`, body: cm('existing'), code: 405, reason: 'MethodNotAllowed' },
    { name: 'a PUT whose name differs from the URL', method: 'PUT', path: `${CMS}/existing`, body: cm('other-name'), code: 400, reason: 'BadRequest' },
    { name: 'a create of an existing name', method: 'POST', path: CMS, body: cm('existing'), code: 409, reason: 'AlreadyExists', message: /configmaps "existing" already exists/ },
    { name: 'limit=abc', method: 'GET', path: `${CMS}?limit=abc`, code: 400, reason: 'BadRequest' },
    { name: 'a garbage continue token', method: 'GET', path: `${CMS}?limit=1&continue=garbage`, code: 400, reason: 'BadRequest' },
    { name: 'watch with timeoutSeconds=-1', method: 'GET', path: `${CMS}?watch=true&timeoutSeconds=-1`, code: 400, reason: 'BadRequest' },
    { name: 'watch from a resourceVersion that is not a number', method: 'GET', path: `${CMS}?watch=true&resourceVersion=abc`, code: 400, reason: 'BadRequest' },
    { name: 'an unparsable labelSelector', method: 'GET', path: `${CMS}?labelSelector=${encodeURIComponent('a in (x')}`, code: 400, reason: 'BadRequest' },
    { name: 'an unparsable labelSelector on a watch', method: 'GET', path: `${CMS}?watch=true&labelSelector=${encodeURIComponent('!!a')}`, code: 400, reason: 'BadRequest' },
    { name: 'an unsupported fieldSelector field', method: 'GET', path: `${CMS}?fieldSelector=${encodeURIComponent('spec.foo=bar')}`, code: 400, reason: 'BadRequest', message: /field label not supported: spec\.foo/ },
    { name: 'allowWatchBookmarks=maybe', method: 'GET', path: `${CMS}?watch=true&allowWatchBookmarks=maybe`, code: 400, reason: 'BadRequest' },
    { name: 'propagationPolicy=Bogus', method: 'DELETE', path: `${CMS}/existing?propagationPolicy=Bogus`, code: 422, reason: 'Invalid', causes: ['propagationPolicy'] },
    { name: 'propagationPolicy=Bogus in the body', method: 'DELETE', path: `${CMS}/existing`, body: '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Bogus"}', code: 422, reason: 'Invalid', causes: ['propagationPolicy'] },
    { name: 'dryRun=Bogus on delete', method: 'DELETE', path: `${CMS}/existing?dryRun=Bogus`, code: 422, reason: 'Invalid', causes: ['dryRun'] },
    { name: 'dryRun=Bogus on create', method: 'POST', path: `${CMS}?dryRun=Bogus`, body: cm('dry-bogus'), code: 422, reason: 'Invalid', causes: ['dryRun'], message: /CreateOptions\.meta\.k8s\.io "" is invalid/ },
    { name: 'dryRun=Bogus on update', method: 'PUT', path: `${CMS}/existing?dryRun=Bogus`, body: cm('existing', { data: { a: '2' } }), code: 422, reason: 'Invalid', causes: ['dryRun'] },
    { name: 'dryRun=Bogus on patch', method: 'PATCH', path: `${CMS}/existing?dryRun=Bogus`, body: '{"data":{"a":"2"}}', contentType: 'application/merge-patch+json', code: 422, reason: 'Invalid', causes: ['dryRun'] },
    { name: 'fieldValidation=Bogus', method: 'POST', path: `${CMS}?fieldValidation=Bogus`, body: cm('fv-bogus'), code: 422, reason: 'Invalid', causes: ['fieldValidation'] },
    { name: 'force on a non-apply patch', method: 'PATCH', path: `${CMS}/existing?force=true`, body: '{"data":{"a":"2"}}', contentType: 'application/merge-patch+json', code: 422, reason: 'Invalid' },
    { name: 'server-side apply without a fieldManager', method: 'PATCH', path: `${CMS}/ssa-new`, body: cm('ssa-new'), contentType: 'application/apply-patch+yaml', code: 422, reason: 'Invalid', causes: ['fieldManager'] },
    { name: 'deleting a protected namespace', method: 'DELETE', path: '/api/v1/namespaces/default', list: '/api/v1/namespaces', code: 403, reason: 'Forbidden' },
  ];

  it.each(cases)('refuses $name', async (c) => {
    await expectRefused(c);
  });

  it('refuses a PUT with a stale resourceVersion (409 Conflict) and keeps the stored object', async () => {
    const cur = (await api(te, 'GET', `${CMS}/existing`)).json() as { metadata: { resourceVersion: string } };
    const first = await api(te, 'PUT', `${CMS}/existing`, { body: cm('existing', { metadata: { name: 'existing', resourceVersion: cur.metadata.resourceVersion }, data: { a: 'fresh' } }) });
    expect(first.status).toBe(200);
    const status = await expectRefused({
      method: 'PUT',
      path: `${CMS}/existing`,
      body: cm('existing', { metadata: { name: 'existing', resourceVersion: cur.metadata.resourceVersion }, data: { a: 'stale' } }),
      code: 409,
      reason: 'Conflict',
      message: /the object has been modified; please apply your changes to the latest version and try again/,
    });
    expect(status.details).toMatchObject({ name: 'existing', kind: 'configmaps' });
    const now = (await api(te, 'GET', `${CMS}/existing`)).json() as { data: Record<string, string> };
    expect(now.data).toEqual({ a: 'fresh' });
  });

  it('refuses a PUT carrying another object\'s uid (409 Conflict: UID precondition)', async () => {
    await expectRefused({
      method: 'PUT',
      path: `${CMS}/existing`,
      body: cm('existing', { metadata: { name: 'existing', uid: '00000000-0000-0000-0000-000000000000' }, data: { a: 'other' } }),
      code: 409,
      reason: 'Conflict',
      message: /Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000/,
    });
  });

  it('refuses a patch that changes the uid (422: field is immutable)', async () => {
    await expectRefused({
      method: 'PATCH',
      path: `${CMS}/existing`,
      body: JSON.stringify({ metadata: { uid: '00000000-0000-0000-0000-000000000000' } }),
      contentType: 'application/merge-patch+json',
      code: 422,
      reason: 'Invalid',
      causes: ['metadata.uid'],
      message: /field is immutable/,
    });
  });

  it('reports every invalid field of one object as its own cause', async () => {
    const status = await expectRefused({
      method: 'POST',
      path: CMS,
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', labels: { 'bad key': 'v', ok: '-bad-' } } }),
      code: 422,
      reason: 'Invalid',
    });
    expect(status.details?.name).toBe('Bad_Name');
    expect(status.details?.kind).toBe('ConfigMap');
    expect(status.details?.causes?.map((c) => c.field)).toEqual(['metadata.name', 'metadata.labels', 'metadata.labels']);
    expect(status.details?.causes?.every((c) => c.reason === 'FieldValueInvalid')).toBe(true);
  });

  it('survives a burst of garbage and a client that disconnects mid-body', async () => {
    const garbage = Array.from({ length: 40 }, (_, i) =>
      api(te, i % 2 ? 'POST' : 'PATCH', i % 2 ? CMS : `${CMS}/existing`, { body: `{"garbage":${'['.repeat(i)}`, contentType: i % 2 ? 'application/json' : 'application/merge-patch+json' }),
    );
    const results = await Promise.all(garbage);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([400]));
    // a request that announces a body and hangs up after part of it
    await new Promise<void>((resolve) => {
      const url = new URL(`${te.url}${CMS}`);
      void import('node:https').then((https) => {
        const req = https.request(url, { method: 'POST', ca: te.ca, headers: { Authorization: `Bearer ${te.token}`, 'Content-Type': 'application/json', 'Content-Length': 1000 } });
        req.on('error', () => resolve());
        req.write('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"half"');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
    });
    const after = await api(te, 'GET', `${CMS}/half`);
    expect(after.status).toBe(404);
    const good = await api(te, 'POST', CMS, { body: cm('after-garbage') });
    expect(good.status).toBe(201);
  });
});

const KUBECTL = kubectlBinaries()[0];

describe.skipIf(!KUBECTL)('bad input as kubectl shows it', () => {
  let te: TestEngine;
  let k: ReturnType<typeof kubectl>;

  beforeAll(async () => {
    te = await startTestEngine();
    k = kubectl(KUBECTL.path, te);
  });
  afterAll(async () => {
    await te?.stop();
  });

  it('apply -f of an invalid Deployment prints "The Deployment "x" is invalid" and exits non-zero', async () => {
    const file = join(te.stateDir, 'invalid.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: x}',
        'spec:',
        '  selector: {matchLabels: {app: x}}',
        '  template:',
        '    metadata: {labels: {app: not-x}}',
        '    spec: {containers: [{name: c, image: nginx}]}',
        '',
      ].join('\n'),
    );
    const r = await k(['apply', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/The Deployment "x" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
    const get = await k(['get', 'deploy', 'x']);
    expect(get.code).not.toBe(0);
    expect(get.stderr).toContain('deployments.apps "x" not found');
  });

  it('apply -f of an invalid name and label prints each cause', async () => {
    const file = join(te.stateDir, 'bad-name.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  labels: {ok: "-bad-"}\ndata: {a: "1"}\n');
    const r = await k(['apply', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The ConfigMap "Bad_Name" is invalid:');
    expect(r.stderr).toContain('metadata.name: Invalid value: "Bad_Name"');
    expect(r.stderr).toContain('metadata.labels: Invalid value: "-bad-"');
  });

  it('a wrong token is "You must be logged in to the server (Unauthorized)"', async () => {
    const r = await k(['--token', 'wrong', 'get', 'configmaps']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('You must be logged in to the server');
    expect(r.stderr).toContain('Unauthorized');
  });

  it('a second create of the same object is AlreadyExists', async () => {
    const file = join(te.stateDir, 'twice.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\ndata: {a: "1"}\n');
    expect((await k(['create', '-f', file])).code).toBe(0);
    const r = await k(['create', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (AlreadyExists): error when creating');
    expect(r.stderr).toContain('configmaps "twice" already exists');
  });
});
