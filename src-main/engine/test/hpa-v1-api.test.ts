/**
 * autoscaling/v1 HorizontalPodAutoscalers over raw HTTPS against a real engine (API only): discovery lists
 * v2 (preferred) and v1; every verb works through v1 on the one stored v2 object; a v1 watch delivers v1
 * objects; what v1 cannot express survives a v1 read-modify-write in the round-trip annotations; bad v1
 * input is a 422 (or 400) Status that stores nothing.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { api, eventually, kubectl, startTestEngine, type TestEngine } from './harness';

const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';

interface Hpa extends KubeObject {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

interface StatusView {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: Array<{ field: string; reason: string; message: string }> };
}

function v1Body(name: string, spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): string {
  return JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name, ...(extra.metadata ?? {}) }, spec });
}

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

/** Collect newline-delimited watch events until closed. */
function openWatch(te: TestEngine, path: string): Promise<{ events: Array<{ type: string; object: Hpa }>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${te.url}${path}`, { headers: { Authorization: `Bearer ${te.token}` }, ca: te.ca }, (res) => {
      const events: Array<{ type: string; object: Hpa }> = [];
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as { type: string; object: Hpa });
        }
      });
      res.on('error', () => undefined);
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    req.end();
  });
}

describe('autoscaling/v1 HorizontalPodAutoscaler over the API', () => {
  let te: TestEngine;
  beforeAll(async () => {
    te = await startTestEngine();
  });
  afterAll(async () => {
    await te?.stop();
  });

  const json = async <T = Hpa>(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: T }> => {
    const r = await api(te, method, path, { body, contentType });
    return { status: r.status, body: r.json() as T };
  };

  it('discovery lists autoscaling v2 (preferred) and v1, both with horizontalpodautoscalers and their status', async () => {
    const groups = (await json<{ groups: Array<{ name: string; versions: unknown[]; preferredVersion: unknown }> }>('GET', '/apis')).body.groups;
    const autoscaling = groups.find((g) => g.name === 'autoscaling');
    expect(autoscaling).toEqual({
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v2', version: 'v2' },
        { groupVersion: 'autoscaling/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
    expect((await json('GET', '/apis/autoscaling')).body).toMatchObject({ kind: 'APIGroup', preferredVersion: { version: 'v2' } });
    for (const v of ['v1', 'v2']) {
      const list = (await json<{ groupVersion: string; resources: Array<{ name: string; kind: string; shortNames?: string[]; verbs: string[] }> }>('GET', `/apis/autoscaling/${v}`)).body;
      expect(list.groupVersion).toBe(`autoscaling/${v}`);
      expect(list.resources.map((r) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
      expect(list.resources[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
    }
  });

  it('create, get, list, update, patch (merge, strategic, JSON) and delete through v1 act on the one stored v2 object', async () => {
    const created = await json('POST', V1, v1Body('crud', { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { targetCPUUtilizationPercentage: 50, minReplicas: 2, maxReplicas: 5 }, status: { currentReplicas: 0, desiredReplicas: 0 } });
    expect(created.body.spec.metrics).toBeUndefined();
    const asV2 = (await json('GET', `${V2}/crud`)).body;
    expect(asV2).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } });
    expect(asV2.metadata.uid).toBe(created.body.metadata.uid);

    const list = (await json<{ kind: string; apiVersion: string; items: Hpa[] }>('GET', V1)).body;
    expect(list).toMatchObject({ kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v1' });
    expect(list.items.find((i) => i.metadata.name === 'crud')).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 50 } });

    const got = (await json('GET', `${V1}/crud`)).body;
    const put = await json('PUT', `${V1}/crud`, JSON.stringify({ ...got, spec: { ...got.spec, targetCPUUtilizationPercentage: 60 } }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 60 }, metadata: { generation: 2 } });

    const merge = await json('PATCH', `${V1}/crud`, '{"spec":{"targetCPUUtilizationPercentage":70}}', 'application/merge-patch+json');
    expect(merge.body.spec.targetCPUUtilizationPercentage).toBe(70);
    const smp = await json('PATCH', `${V1}/crud`, '{"spec":{"maxReplicas":7}}', 'application/strategic-merge-patch+json');
    expect(smp.body.spec).toMatchObject({ maxReplicas: 7, targetCPUUtilizationPercentage: 70 });
    const jp = await json('PATCH', `${V1}/crud`, '[{"op":"replace","path":"/spec/targetCPUUtilizationPercentage","value":40}]', 'application/json-patch+json');
    expect(jp.body.spec.targetCPUUtilizationPercentage).toBe(40);
    expect(((await json('GET', `${V2}/crud`)).body.spec.metrics as unknown[])).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 40 } } }]);

    const del = await json<StatusView>('DELETE', `${V1}/crud`);
    expect(del.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'crud', group: 'autoscaling', kind: 'horizontalpodautoscalers' } });
    expect((await api(te, 'GET', `${V2}/crud`)).status).toBe(404);
  });

  it('keeps other metrics, behavior and conditions across a v1 read-modify-write, in the autoscaling.alpha annotations', async () => {
    const spec = {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 6,
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 5, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    };
    expect((await api(te, 'POST', V2, { body: JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'rich' }, spec }) })).status).toBe(201);
    const before = (await json('GET', `${V2}/rich`)).body;
    const asV1 = (await json('GET', `${V1}/rich`)).body;
    expect(asV1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 6, targetCPUUtilizationPercentage: 50 });
    const annotations = asV1.metadata.annotations ?? {};
    expect(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/metrics'] ?? '')).toEqual([{ type: 'Pods', pods: { metricName: 'requests_per_second', targetAverageValue: '10' } }]);
    expect(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/behavior'] ?? '')).toMatchObject({ ScaleDown: { StabilizationWindowSeconds: 5 }, ScaleUp: { SelectPolicy: 'Max' } });
    // v2 readers never see the round-trip annotations
    expect(before.metadata.annotations).toBeUndefined();

    // a v1 client writes the object back with one change: nothing v1 cannot show is lost
    const put = await json('PUT', `${V1}/rich`, JSON.stringify({ ...asV1, spec: { ...asV1.spec, maxReplicas: 8 } }));
    expect(put.status).toBe(200);
    const after = (await json('GET', `${V2}/rich`)).body;
    expect(after.spec).toEqual({ ...before.spec, maxReplicas: 8 });
    expect(after.metadata.annotations).toBeUndefined();
    expect(after.metadata.generation).toBe(2);
    // an unchanged v1 write is a no-op: same resourceVersion, same generation
    const again = (await json('GET', `${V1}/rich`)).body;
    const noop = await json('PUT', `${V1}/rich`, JSON.stringify(again));
    expect(noop.body.metadata.resourceVersion).toBe(again.metadata.resourceVersion);

    // status through v1: currentCPUUtilizationPercentage and the current-metrics annotation
    const st = await json('PUT', `${V1}/rich/status`, JSON.stringify({ ...again, status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 65 } }));
    expect(st.status).toBe(200);
    expect(st.body.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 65 });
    // the v1 body still carried the old current-metrics annotation? it had none: the CPU figure becomes the status
    expect((await json('GET', `${V2}/rich`)).body.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 65 } } }] });
  });

  it('a v1 watch delivers v1 objects while a v2 watch on the same object delivers v2', async () => {
    const rv = (await json<{ metadata: { resourceVersion: string } }>('GET', V1)).body.metadata.resourceVersion;
    const w1 = await openWatch(te, `${V1}?watch=true&resourceVersion=${rv}`);
    const w2 = await openWatch(te, `${V2}?watch=true&resourceVersion=${rv}`);
    try {
      await json('POST', V1, v1Body('watched', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 55 }));
      await json('PATCH', `${V1}/watched`, '{"spec":{"maxReplicas":4}}', 'application/merge-patch+json');
      await json('DELETE', `${V1}/watched`);
      await eventually(() => w1.events.length >= 3 && w2.events.length >= 3, 5000);
      expect(w1.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      for (const e of w1.events) expect(e.object).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { targetCPUUtilizationPercentage: 55 } });
      for (const e of w2.events) expect(e.object).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { metrics: [{ resource: { target: { averageUtilization: 55 } } }] } });
      expect(w1.events[1].object.spec.maxReplicas).toBe(4);
    } finally {
      w1.close();
      w2.close();
    }
  });

  it('refuses bad v1 input with a 422 (or 400) Status and stores nothing', async () => {
    const negative = await json<StatusView>('POST', V1, v1Body('bad', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: -5 }));
    expect(negative.status).toBe(422);
    expect(negative.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    // as kube-apiserver: validation runs on the converted object, so the field is the metric's
    expect(negative.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.metrics[0].resource.target.averageUtilization', message: 'Invalid value: -5: must be greater than 0' }]);
    expect(negative.body.message).toBe('HorizontalPodAutoscaler.autoscaling "bad" is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: -5: must be greater than 0');

    const noRef = await json<StatusView>('POST', V1, v1Body('bad', { maxReplicas: 3, targetCPUUtilizationPercentage: 50 }));
    expect(noRef.status).toBe(422);
    expect(noRef.body.details?.causes?.map((c) => c.field)).toEqual(['spec.scaleTargetRef.kind', 'spec.scaleTargetRef.name']);

    const notInt = await json<StatusView>('POST', V1, v1Body('bad', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 'fifty' }));
    expect(notInt.status).toBe(422);
    expect(notInt.body.details?.causes?.[0]).toMatchObject({ field: 'spec.targetCPUUtilizationPercentage' });

    const wrongVersion = await json<StatusView>('POST', V1, JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } }));
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.message).toBe('the API version in the data (autoscaling/v2) does not match the expected API version (autoscaling/v1)');

    const badAnnotation = await json<StatusView>('POST', V1, v1Body('bad', { scaleTargetRef: ref, maxReplicas: 3 }, { metadata: { annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '{not json' } } }));
    expect(badAnnotation.status).toBe(400);
    expect(badAnnotation.body.message).toMatch(/^the annotation autoscaling\.alpha\.kubernetes\.io\/metrics is not valid JSON/);

    const patchNegative = await json<StatusView>('POST', V1, v1Body('okay', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }));
    expect(patchNegative.status).toBe(201);
    const r = await json<StatusView>('PATCH', `${V1}/okay`, '{"spec":{"targetCPUUtilizationPercentage":0}}', 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect((await json('GET', `${V1}/okay`)).body.spec.targetCPUUtilizationPercentage).toBe(50);
    expect((await api(te, 'GET', `${V2}/bad`)).status).toBe(404);
    await json('DELETE', `${V1}/okay`);
  });

  it('kubectl apply of a v1 manifest (client-side twice, then server-side) updates the stored object', async () => {
    const manifest = (target: number, max: number) =>
      `apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: applied\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: ${max}\n  targetCPUUtilizationPercentage: ${target}\n`;
    for (const v of ['1.27', '1.33']) {
      const k = kubectl(`/usr/lib/google-cloud-sdk/bin/kubectl.${v}`, te);
      const first = await k(['apply', '-f', '-'], manifest(50, 3));
      expect(first.stderr, `kubectl ${v}`).toBe('');
      const second = await k(['apply', '-f', '-'], manifest(65, 5));
      expect(second.stdout, `kubectl ${v}: ${second.stderr}`).toContain('horizontalpodautoscaler.autoscaling/applied configured');
      expect((await json('GET', `${V2}/applied`)).body.spec).toMatchObject({ maxReplicas: 5, metrics: [{ resource: { target: { averageUtilization: 65 } } }] });
      const ssa = await k(['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest(75, 6));
      expect(ssa.code, `kubectl ${v}: ${ssa.stderr}`).toBe(0);
      expect((await json('GET', `${V1}/applied`)).body.spec).toMatchObject({ maxReplicas: 6, targetCPUUtilizationPercentage: 75 });
      expect((await k(['delete', 'hpa', 'applied'])).code).toBe(0);
    }
  });

  it('kubectl get hpa.v1.autoscaling prints the same table, TARGETS included', async () => {
    await json('POST', V1, v1Body('table', { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 45 }));
    // (kubectl 1.33 maps the short name `hpa.v1.autoscaling` to the preferred v2; the full resource name keeps v1)
    for (const [v, resource] of [['1.27', 'hpa.v1.autoscaling'], ['1.33', 'horizontalpodautoscalers.v1.autoscaling']]) {
      const k = kubectl(`/usr/lib/google-cloud-sdk/bin/kubectl.${v}`, te);
      const r = await k(['get', resource, 'table']);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/);
      expect(r.stdout.split('\n')[1]).toMatch(/^table\s+Deployment\/web\s+cpu: <unknown>\/45%\s+1\s+4\s+0\s+/);
      const asJson = JSON.parse((await k(['get', resource, 'table', '-o', 'json'])).stdout) as Hpa;
      expect(asJson.apiVersion, `kubectl ${v}`).toBe('autoscaling/v1');
    }
    await json('DELETE', `${V1}/table`);
  });
});
