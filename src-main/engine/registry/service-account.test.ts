import { describe, expect, it } from 'vitest';
import { serviceAccountType } from './service-account';

describe('serviceAccountType', () => {
  it('prints the number of secrets and uses the sa short name', () => {
    const sa = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
      secrets: [{ name: 'a' }],
    };
    expect(serviceAccountType.tableRow(sa, Date.parse('2024-05-01T12:03:00Z'))).toEqual(['default', 1, '3m']);
    expect(serviceAccountType.shortNames).toEqual(['sa']);
    expect(serviceAccountType.validate(sa)).toEqual([]);
    expect(serviceAccountType.validate({ ...sa, imagePullSecrets: [{}] }).map((c) => c.field)).toEqual(['imagePullSecrets[0].name']);
  });
});
