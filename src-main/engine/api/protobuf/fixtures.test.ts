/**
 * Request bodies captured from kubectl 1.33 (fixtures/capture.mjs) decode to exactly the object kubectl
 * prints for the same command with --dry-run=client -o json — the object it encoded — except for the
 * nulls encoding/json writes for unset non-omitempty fields (creationTimestamp, currentMetrics), which
 * mean "absent" and which the protobuf form cannot carry.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeKubeProtobuf } from './envelope';

const DIR = join(__dirname, 'fixtures');

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

describe('kubectl 1.33 protobuf request bodies', () => {
  it('has the captured fixtures', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['create-ns', 'create-cm', 'create-secret', 'create-deployment', 'create-service-nodeport', 'create-sa', 'autoscale-hpa']),
    );
  });

  it.each(cases)('%s decodes to the object kubectl encoded', (name) => {
    const body = readFileSync(join(DIR, `${name}.pb`));
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as unknown;
    expect(decodeKubeProtobuf(body)).toEqual(withoutNulls(expected));
  });

  it('decodes the autoscaling/v1 HorizontalPodAutoscaler kubectl falls back to', () => {
    expect(decodeKubeProtobuf(readFileSync(join(DIR, 'autoscale-hpa-2.pb')))).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });
});
