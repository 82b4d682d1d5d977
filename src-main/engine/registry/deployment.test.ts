import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { deploymentType } from './deployment';

function newDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
}

function defaulted(mutate?: (spec: Record<string, unknown>) => void): KubeObject {
  const d = newDeployment();
  if (mutate) mutate(d.spec as Record<string, unknown>);
  deploymentType.applyDefaults(d);
  return d;
}

function messages(d: KubeObject, old?: KubeObject): string[] {
  return deploymentType.validate(d, old).map((c) => `${c.field}: ${c.message}`);
}

describe('deploymentType defaults', () => {
  it('fills replicas, strategy, limits and the template', () => {
    const d = defaulted();
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        spec: {
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          terminationGracePeriodSeconds: 30,
          containers: [{ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }],
        },
      },
    });
    const spec = (d.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(spec).not.toHaveProperty('enableServiceLinks');
  });

  it('leaves a Recreate strategy without rollingUpdate', () => {
    const d = defaulted((s) => (s.strategy = { type: 'Recreate' }));
    expect((d.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
  });
});

describe('deploymentType validation', () => {
  it('passes a valid deployment', () => {
    expect(messages(defaulted())).toEqual([]);
  });

  it('requires a selector and reports the template mismatch too', () => {
    const d = defaulted((s) => delete s.selector);
    expect(messages(d)).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects an empty selector and a mismatching template', () => {
    expect(messages(defaulted((s) => (s.selector = {})))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
    expect(messages(defaulted((s) => (s.selector = { matchLabels: { app: 'other' } })))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('checks replicas and the template spec with spec.template.spec paths', () => {
    const d = defaulted((s) => {
      s.replicas = -1;
      (s.template as { spec: { containers: unknown[] } }).spec.containers = [{ name: 'web' }];
    });
    expect(messages(d)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.containers[0].image: Required value',
    ]);
  });

  it('requires restartPolicy Always in the template', () => {
    const d = defaulted((s) => ((s.template as { spec: Record<string, unknown> }).spec.restartPolicy = 'Never'));
    expect(messages(d)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it('checks the strategy', () => {
    expect(messages(defaulted((s) => (s.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } })))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0%: may not be 0 when `maxSurge` is 0',
    ]);
    expect(messages(defaulted((s) => (s.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } })))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(messages(defaulted((s) => (s.strategy = { type: 'BlueGreen' })))).toEqual([
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]);
    expect(messages(defaulted((s) => (s.strategy = { rollingUpdate: { maxUnavailable: '120%', maxSurge: 'lots' } })))).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: lots: a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 120%: must not be greater than 100%',
    ]);
  });

  it('makes the selector immutable on update', () => {
    const old = defaulted();
    const next = deepCopy(old);
    (next.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web2' } };
    ((next.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels = { app: 'web2' });
    expect(messages(next, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
    expect(messages(deepCopy(old), old)).toEqual([]);
  });
});

describe('deploymentType strategy hooks', () => {
  it('clears status on create and bumps generation on spec or annotation changes', () => {
    const d = defaulted();
    d.status = { replicas: 3 };
    deploymentType.prepareForCreate?.(d);
    expect(d.status).toEqual({});
    const next = deepCopy(d);
    expect(deploymentType.generationChanged?.(next, d)).toBe(false);
    next.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
    expect(deploymentType.generationChanged?.(next, d)).toBe(true);
    expect(deploymentType.hasGeneration).toBe(true);
  });

  it('exposes scale', () => {
    const d = defaulted((s) => (s.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }));
    d.status = { replicas: 2 };
    const scale = deploymentType.scale;
    expect(scale?.specReplicas(d)).toBe(1);
    expect(scale?.statusReplicas(d)).toBe(2);
    expect(scale?.selector(d)).toBe('app=web,tier in (a,b)');
    scale?.setSpecReplicas(d, 5);
    expect((d.spec as Record<string, unknown>).replicas).toBe(5);
  });
});

describe('deploymentType table', () => {
  it('prints Ready as ready/desired and the wide cells', () => {
    const d = defaulted();
    d.spec = { ...(d.spec as object), replicas: 3 };
    d.metadata.creationTimestamp = '2024-05-01T12:00:00Z';
    d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(deploymentType.tableRow(d, Date.parse('2024-05-01T12:05:00Z'))).toEqual([
      'web',
      '2/3',
      3,
      2,
      '5m',
      'web',
      'nginx:1.25',
      'app=web',
    ]);
    expect(deploymentType.tableColumns.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
  });
});
