/**
 * The desk against a real engine running pods on real Docker, next to a context that cannot be reached
 * and one whose credentials are refused: contexts, informer feeds, apply/edit/delete, scale, history and
 * rollback, pod detail, secrets, logs and exec — all through the Kubernetes API.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ConfigMapRow, PodRow } from '../contract/rows';
import type { ExecEvent, LogEvent, ResourceEvent } from '../contract/streams';
import { Desk } from '../desk/desk';
import { eventually } from '../engine/test/harness';
import { deploymentYaml, startRuntimeEngine, type RuntimeEngine } from '../engine/test/runtime-harness';

/** Applies a feed's events to a map of rows, as the renderer does. */
function table<R extends { uid: string }>(): { rows: Map<string, R>; events: ResourceEvent[]; apply: (e: ResourceEvent) => void } {
  const rows = new Map<string, R>();
  const events: ResourceEvent[] = [];
  return {
    rows,
    events,
    apply(event) {
      events.push(event);
      if (event.type === 'snapshot') {
        rows.clear();
        for (const r of event.rows) rows.set(r.uid, r as unknown as R);
      } else if (event.type === 'changes') {
        for (const r of [...event.added, ...event.modified]) rows.set(r.uid, r as unknown as R);
        for (const k of event.deleted) rows.delete(k.uid);
      }
    },
  };
}

describe('desk against the engine', () => {
  let e: RuntimeEngine;
  let desk: Desk;
  let kubeconfig: string;

  beforeAll(async () => {
    // Quick crash back-off, so a crashing container restarts within the test.
    e = await startRuntimeEngine({ runtime: { crashBackoffBaseMs: 200 } });
    // A second file, as $KUBECONFIG lists several: an unreachable cluster and the engine with a bad token.
    kubeconfig = join(e.stateDir, 'others.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'gone', cluster: { server: 'https://127.0.0.1:1' } },
          { name: 'engine-again', cluster: { server: e.url, 'certificate-authority-data': Buffer.from(e.ca).toString('base64') } },
        ],
        users: [
          { name: 'someone', user: { token: 'x' } },
          { name: 'expired', user: { token: 'expired-token' } },
        ],
        contexts: [
          { name: 'aaa-unreachable', context: { cluster: 'gone', user: 'someone' } },
          { name: 'expired', context: { cluster: 'engine-again', user: 'expired' } },
        ],
        'current-context': 'aaa-unreachable',
      }),
    );
    desk = new Desk({ kubeconfigPaths: () => [kubeconfig, e.kubeconfig], localContext: () => 'skiff', batchMs: 20, retryMinMs: 200 });
  });

  afterAll(async () => {
    await desk?.stop();
    expect(desk?.openHandles()).toEqual({ feeds: 0, logs: 0, execs: 0, forwards: 0, samplers: 0 });
    await e?.stop();
  });

  it('lists contexts from several files, the local one first, with specific errors for broken ones', async () => {
    const list = desk.listContexts();
    expect(list.contexts.map((c) => c.name)).toEqual(['skiff', 'aaa-unreachable', 'expired']);
    expect(list.current).toBe('aaa-unreachable');
    expect(list.sources).toEqual([kubeconfig, e.kubeconfig]);
    expect(list.contexts[0]).toMatchObject({ isLocal: true, server: e.url, namespace: 'default' });

    expect(await desk.retryContext('skiff')).toMatchObject({ state: 'connected', error: null });
    const unreachable = await desk.retryContext('aaa-unreachable');
    expect(unreachable).toMatchObject({ state: 'error', error: { code: 'unreachable', server: 'https://127.0.0.1:1' } });
    expect(unreachable.error?.message).toContain('cannot reach https://127.0.0.1:1 (ECONNREFUSED)');
    const expired = await desk.retryContext('expired');
    expect(expired).toMatchObject({ state: 'error', error: { code: 'unauthorized', status: 401 } });
    expect(expired.error?.message).toMatch(/credentials.*expired/);
    await expect(desk.retryContext('nope')).rejects.toThrow('no context named "nope"');

    // Renewed credentials in the file: retry reads them and the context connects.
    const expiredFeed: ResourceEvent[] = [];
    const stopExpired = desk.watchResources({ context: 'expired', kind: 'namespaces' }, (ev) => expiredFeed.push(ev));
    try {
      await eventually(() => expiredFeed.some((ev) => ev.type === 'error'));
      writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('expired-token', e.token));
      expect(await desk.retryContext('expired')).toMatchObject({ state: 'connected' });
      await eventually(() => expiredFeed.some((ev) => ev.type === 'snapshot'));
    } finally {
      stopExpired();
      writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace(e.token, 'expired-token'));
      desk.reloadContexts();
    }
  });

  it('feeds a snapshot then batched changes, while an unreachable context reports its error', async () => {
    const local = table<ConfigMapRow>();
    const broken: ResourceEvent[] = [];
    const stopLocal = desk.watchResources({ context: 'skiff', kind: 'configmaps', namespace: 'default' }, local.apply);
    const stopBroken = desk.watchResources({ context: 'aaa-unreachable', kind: 'pods' }, (ev) => broken.push(ev));
    try {
      await eventually(() => local.events.some((ev) => ev.type === 'snapshot'));
      await eventually(() => broken.some((ev) => ev.type === 'error'));
      expect(broken[0]).toMatchObject({ type: 'error', kind: 'pods', error: { code: 'unreachable' } });
      expect((broken[0] as { retryInMs: number }).retryInMs).toBeGreaterThan(0);

      const applied = await desk.apply({
        context: 'skiff',
        yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: desk-cm\ndata:\n  a: "1"\n',
      });
      expect(applied).toMatchObject({ ok: true, documents: [{ outcome: 'created', kind: 'ConfigMap', name: 'desk-cm', namespace: 'default' }] });
      await eventually(() => [...local.rows.values()].some((r) => r.name === 'desk-cm' && r.keys.join() === 'a'));

      const got = await desk.getObject({ context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'desk-cm' });
      expect(got.yaml).toContain('name: desk-cm');
      expect(got.yaml).not.toContain('managedFields');
      const edited = got.yaml.replace('a: "1"', 'a: "1"\n  b: "2"');
      await desk.replaceObject({ context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'desk-cm', yaml: edited });
      await eventually(() => [...local.rows.values()].some((r) => r.name === 'desk-cm' && r.keys.join() === 'a,b'));
      // The same edit again carries a stale resourceVersion: a conflict, classified.
      await expect(desk.replaceObject({ context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'desk-cm', yaml: edited })).rejects.toMatchObject({
        clusterError: { code: 'conflict', status: 409 },
      });
      expect(local.events.some((ev) => ev.type === 'changes' && ev.modified.some((r) => r.name === 'desk-cm'))).toBe(true);

      await desk.deleteObject({ context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'desk-cm' });
      await eventually(() => ![...local.rows.values()].some((r) => r.name === 'desk-cm'));
      expect(local.events.some((ev) => ev.type === 'changes' && ev.deleted.some((k) => k.name === 'desk-cm'))).toBe(true);
      // the broken context never stopped the local one, and the local one stays connected
      expect(desk.contexts.status('skiff').state).toBe('connected');
      expect(desk.contexts.status('aaa-unreachable').state).toBe('error');
    } finally {
      stopLocal();
      stopBroken();
    }
    expect(desk.openHandles().feeds).toBe(0);
  });

  it('lists and watches every kind the console shows', async () => {
    const kinds = ['pods', 'deployments', 'replicasets', 'services', 'endpoints', 'configmaps', 'secrets', 'events', 'hpa', 'namespaces', 'nodes', 'pvcs'] as const;
    const snapshots = new Map<string, ResourceEvent>();
    const stops = kinds.map((kind) => desk.watchResources({ context: 'skiff', kind }, (ev) => {
      if (ev.type !== 'changes') snapshots.set(kind, ev);
    }));
    try {
      await eventually(() => snapshots.size === kinds.length, 15_000);
      for (const kind of kinds) expect(snapshots.get(kind), kind).toMatchObject({ type: 'snapshot', kind });
      const names = (kind: string) => {
        const ev = snapshots.get(kind);
        return ev?.type === 'snapshot' ? ev.rows.map((r) => r.name) : [];
      };
      expect(names('namespaces')).toEqual(expect.arrayContaining(['default', 'kube-system']));
      expect(names('services')).toContain('kubernetes');
      expect(names('nodes').length).toBe(1);
    } finally {
      for (const stop of stops) stop();
    }
    expect(desk.openHandles().feeds).toBe(0);
  });

  it('applies several documents, each with its own outcome and the server message', async () => {
    const yaml = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: multi-a\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n',
      'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n',
      'kind: [unclosed\n',
    ].join('---\n');
    const result = await desk.apply({ context: 'skiff', yaml });
    expect(result.ok).toBe(false);
    expect(result.documents.map((d) => d.outcome)).toEqual(['created', 'failed', 'failed', 'failed']);
    expect(result.documents[1]).toMatchObject({ line: 6, name: 'Not_Valid', error: { code: 'invalid', status: 422 } });
    expect(result.documents[1].error?.message).toContain('Not_Valid');
    expect(result.documents[2].error?.message).toContain('Widget');
    expect(result.documents[3].error?.message).toMatch(/^YAML error/);
    const again = await desk.apply({ context: 'skiff', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: multi-a\n' });
    expect(again.documents[0].outcome).toBe('unchanged');
    await desk.deleteObject({ context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'multi-a' });
  });

  it('scales, shows pod detail with secrets masked, streams logs, runs a shell, rolls back', async () => {
    await desk.apply({
      context: 'skiff',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: desk-secret\nstringData:\n  password: hunter2\n',
    });
    const manifest = JSON.parse(
      deploymentYaml('deskweb', { command: 'i=0; trap "exit 0" TERM; while true; do echo "tick $i"; i=$((i+1)); sleep 0.3; done' }),
    ) as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    manifest.spec.template.spec.containers[0].env = [
      { name: 'PLAIN', value: 'visible' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'desk-secret', key: 'password' } } },
    ];
    expect((await desk.apply({ context: 'skiff', yaml: JSON.stringify(manifest) })).ok).toBe(true);

    const pods = table<PodRow>();
    const stopPods = desk.watchResources({ context: 'skiff', kind: 'pods', namespace: 'default', labelSelector: 'app=deskweb' }, pods.apply);
    const running = (): PodRow[] => [...pods.rows.values()].filter((p) => p.status === 'Running' && p.readyContainers === 1 && !p.deleting);
    try {
      await eventually(() => running().length === 1, 60_000);
      await desk.scale({ context: 'skiff', namespace: 'default', name: 'deskweb', replicas: 3 });
      await eventually(() => running().length === 3, 60_000);
      const pod = running()[0];
      expect(pod).toMatchObject({ owner: { kind: 'ReplicaSet' }, totalContainers: 1, containers: ['app'] });

      const detail = await desk.podDetail({ context: 'skiff', namespace: 'default', name: pod.name });
      expect(detail.containers[0].state.state).toBe('running');
      expect(detail.containers[0].env).toEqual([
        { name: 'PLAIN', source: 'value', value: 'visible' },
        { name: 'PASSWORD', source: 'secret', secretName: 'desk-secret', key: 'password', optional: false },
      ]);
      expect(JSON.stringify(detail)).not.toContain('hunter2');
      expect(detail.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).toBe(true);
      expect(await desk.revealSecret({ context: 'skiff', namespace: 'default', name: 'desk-secret', key: 'password' })).toEqual({
        key: 'password',
        value: 'hunter2',
        encoding: 'utf8',
      });
      // The Secret's YAML is masked; editing another field keeps the stored value.
      const secret = await desk.getObject({ context: 'skiff', kind: 'secrets', namespace: 'default', name: 'desk-secret' });
      expect(secret.yaml).not.toContain('aHVudGVyMg');
      await desk.replaceObject({
        context: 'skiff',
        kind: 'secrets',
        namespace: 'default',
        name: 'desk-secret',
        yaml: secret.yaml.replace('name: desk-secret', 'name: desk-secret\n  labels:\n    edited: "yes"'),
      });
      expect(await desk.revealSecret({ context: 'skiff', namespace: 'default', name: 'desk-secret', key: 'password' })).toMatchObject({ value: 'hunter2' });
      const after = (await desk.getObject({ context: 'skiff', kind: 'secrets', namespace: 'default', name: 'desk-secret' })).yaml;
      expect(after).toContain('edited: yes');
      expect(after).not.toContain('aHVudGVyMg');

      // Logs of every pod of the Deployment, merged and following: lines printed after the stream opened.
      const logEvents: LogEvent[] = [];
      const stopLogs = desk.streamLogs(
        { context: 'skiff', namespace: 'default', target: { kind: 'deployment', deployment: 'deskweb' }, follow: true, previous: false, timestamps: true, tailLines: 1 },
        (ev) => logEvents.push(ev),
      );
      try {
        const lines = () => logEvents.flatMap((ev) => (ev.type === 'lines' ? ev.lines : []));
        await eventually(() => new Set(lines().map((l) => l.pod)).size === 3, 20_000);
        const first = lines().find((l) => l.pod === pod.name);
        expect(first?.text).toMatch(/^tick \d+$/);
        expect(first?.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        const n = Number(first?.text.split(' ')[1]);
        await eventually(() => lines().some((l) => l.pod === pod.name && l.text === `tick ${n + 3}`), 10_000);
      } finally {
        stopLogs();
      }

      // A shell: output, and the exit code.
      const execEvents: ExecEvent[] = [];
      const stopExec = desk.openExec(
        { context: 'skiff', namespace: 'default', pod: pod.name, command: ['sh', '-c', 'read line; stty size; echo "got $line"; exit 3'], cols: 80, rows: 24 },
        (ev) => execEvents.push(ev),
      );
      try {
        const started = await eventually(() => execEvents.find((ev) => ev.type === 'started'), 10_000);
        expect(started).toMatchObject({ container: 'app' });
        // a resize reaches the process's terminal: stty, run after it, reads the new size
        desk.execResize({ sessionId: (started as { sessionId: string }).sessionId, cols: 100, rows: 30 });
        await new Promise((r) => setTimeout(r, 300));
        desk.execWrite({ sessionId: (started as { sessionId: string }).sessionId, data: 'hello\r' });
        await eventually(() => execEvents.some((ev) => ev.type === 'exit'), 10_000);
        const output = execEvents.map((ev) => (ev.type === 'output' ? ev.data : '')).join('');
        expect(output).toContain('got hello');
        expect(output).toMatch(/30 100[\s\S]*got hello/);
        expect(execEvents.find((ev) => ev.type === 'exit')).toMatchObject({ exitCode: 3 });
      } finally {
        stopExec();
      }
      expect(() => desk.execWrite({ sessionId: 'gone-session', data: 'x' })).toThrow('no open terminal session');

      // A second revision (another command), then roll back to the first: its template comes back.
      manifest.spec.template.spec.containers[0].command = ['sh', '-c', 'echo v2; trap "exit 0" TERM; while true; do sleep 1; done'];
      await desk.apply({ context: 'skiff', yaml: JSON.stringify(manifest) });
      const two = await eventually(async () => {
        const h = await desk.history({ context: 'skiff', namespace: 'default', name: 'deskweb' });
        return h.revisions.length === 2 && h.revisions[0].current ? h : null;
      }, 30_000);
      expect(two.revisions.map((r) => r.revision)).toEqual([2, 1]);
      expect(two.revisions[1].templateYaml).toContain('tick');
      expect(two.revisions[1].templateYaml).not.toContain('pod-template-hash');
      await expect(desk.rollback({ context: 'skiff', namespace: 'default', name: 'deskweb', revision: 9 })).rejects.toThrow('has no revision 9 (revisions: 1, 2)');
      expect(await desk.rollback({ context: 'skiff', namespace: 'default', name: 'deskweb', revision: 1 })).toMatchObject({ toRevision: 1 });
      const three = await eventually(async () => {
        const h = await desk.history({ context: 'skiff', namespace: 'default', name: 'deskweb' });
        return h.revisions[0]?.revision === 3 && h.revisions[0].current ? h : null;
      }, 30_000);
      expect(three.revisions[0].templateYaml).toContain('tick');
      const deployment = await desk.getObject({ context: 'skiff', kind: 'deployments', namespace: 'default', name: 'deskweb' });
      expect(deployment.yaml).toContain('tick');

      await desk.setPaused({ context: 'skiff', namespace: 'default', name: 'deskweb', paused: true });
      await expect(desk.rollback({ context: 'skiff', namespace: 'default', name: 'deskweb', revision: 2 })).rejects.toThrow('is paused');
      await desk.setPaused({ context: 'skiff', namespace: 'default', name: 'deskweb', paused: false });
      const restarted = await desk.restart({ context: 'skiff', namespace: 'default', name: 'deskweb' });
      expect(restarted.generation).toBeGreaterThan(1);
    } finally {
      stopPods();
      await desk.deleteObject({ context: 'skiff', kind: 'deployments', namespace: 'default', name: 'deskweb' }).catch(() => undefined);
      await desk.deleteObject({ context: 'skiff', kind: 'secrets', namespace: 'default', name: 'desk-secret' }).catch(() => undefined);
    }
  });

  it('follows a Deployment’s logs across container restarts', async () => {
    const yaml = deploymentYaml('crasher', { command: 'echo "instance $(cat /proc/sys/kernel/random/uuid)"; sleep 1; exit 1' });
    expect((await desk.apply({ context: 'skiff', yaml })).ok).toBe(true);
    const logEvents: LogEvent[] = [];
    const stopLogs = desk.streamLogs(
      { context: 'skiff', namespace: 'default', target: { kind: 'deployment', deployment: 'crasher' }, follow: true, previous: false, timestamps: false },
      (ev) => logEvents.push(ev),
    );
    try {
      const instances = () => new Set(logEvents.flatMap((ev) => (ev.type === 'lines' ? ev.lines.map((l) => l.text) : [])).filter((t) => t.startsWith('instance ')));
      await eventually(() => instances().size >= 3, 45_000);
    } finally {
      stopLogs();
      await desk.deleteObject({ context: 'skiff', kind: 'deployments', namespace: 'default', name: 'crasher' });
    }
  });
});
