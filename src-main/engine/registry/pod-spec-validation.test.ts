import { describe, expect, it } from 'vitest';
import { applyPodSpecDefaults } from './pod-spec-defaults';
import { validatePodSpec, validatePodTemplateSpec } from './pod-spec-validation';

function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const s: Record<string, unknown> = { containers: [{ name: 'web', image: 'nginx:1.25' }], ...overrides };
  applyPodSpecDefaults(s);
  return s;
}

function fields(causes: { field: string; message: string }[]): string[] {
  return causes.map((c) => `${c.field}: ${c.message}`);
}

describe('validatePodSpec', () => {
  it('passes a valid defaulted spec', () => {
    expect(validatePodSpec(spec(), 'spec')).toEqual([]);
  });

  it('requires containers', () => {
    expect(fields(validatePodSpec({ containers: [], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }, 'spec'))).toEqual([
      'spec.containers: Required value',
    ]);
  });

  it('checks container names and images', () => {
    const s = spec({ containers: [{ name: 'Web', image: 'a' }, { name: 'x', image: '' }, { name: 'x', image: 'b' }] });
    expect(fields(validatePodSpec(s, 'spec'))).toEqual([
      expect.stringMatching(/^spec\.containers\[0\]\.name: Invalid value: "Web": a lowercase RFC 1123 label/),
      'spec.containers[1].image: Required value',
      'spec.containers[2].name: Duplicate value: "x"',
    ]);
  });

  it('checks ports, protocols and pull policy', () => {
    const s = spec({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          imagePullPolicy: 'Sometimes',
          ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: 'HTTP' }],
        },
      ],
    });
    expect(fields(validatePodSpec(s, 'spec'))).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ]);
  });

  it('checks the restart policy enum', () => {
    expect(fields(validatePodSpec(spec({ restartPolicy: 'Sometimes' }), 'spec'))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('checks volumes: unique names, one source, mounts that refer to them', () => {
    const s = spec({
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'data', emptyDir: {} },
        { name: 'two', emptyDir: {}, configMap: { name: 'c' } },
      ],
      containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'missing', mountPath: '/m' }, { name: 'data', mountPath: '/m' }] }],
    });
    expect(fields(validatePodSpec(s, 'spec'))).toEqual([
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/m": must be unique',
    ]);
  });

  it('checks probes and resource requests against limits', () => {
    const s = spec({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          livenessProbe: { successThreshold: 2, httpGet: { port: 80 } },
          readinessProbe: {},
          resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
        },
      ],
    });
    expect(fields(validatePodSpec(s, 'spec'))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    ]);
  });

  it("checks a probe's terminationGracePeriodSeconds: positive, and not on a readiness probe", () => {
    const s = spec({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          livenessProbe: { httpGet: { port: 80 }, terminationGracePeriodSeconds: 0 },
          readinessProbe: { httpGet: { port: 80 }, terminationGracePeriodSeconds: 10 },
          startupProbe: { httpGet: { port: 80 }, terminationGracePeriodSeconds: 5 },
        },
      ],
    });
    expect(fields(validatePodSpec(s, 'spec'))).toEqual([
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
    ]);
  });

  it('reports template labels under <path>.labels', () => {
    const causes = validatePodTemplateSpec({ metadata: { labels: { 'a/b/c': 'x' } }, spec: spec() }, 'spec.template');
    expect(causes.map((c) => c.field)).toEqual(['spec.template.labels']);
  });
});
