import { describe, expect, it } from 'vitest';
import { SECRET_VALUE_MASK } from '../contract/objects';
import { forDisplay, unmaskSecret } from './object-yaml';

const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
const stored = {
  kind: 'Secret',
  metadata: { name: 's', managedFields: [{}], annotations: { [LAST]: '{"stringData":{"password":"hunter2"}}', other: 'kept' } },
  data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
};

describe('Secret masking', () => {
  it('hides every value and the last-applied copy, and drops managedFields', () => {
    const shown = forDisplay(stored);
    expect(shown).toEqual({
      kind: 'Secret',
      metadata: { name: 's', annotations: { [LAST]: SECRET_VALUE_MASK, other: 'kept' } },
      data: { password: SECRET_VALUE_MASK, user: SECRET_VALUE_MASK },
    });
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(JSON.stringify(shown)).not.toContain('aHVudGVyMg');
  });

  it('puts stored values back where the edit kept the mask, and keeps real edits', () => {
    const edited = { ...forDisplay(stored), data: { password: SECRET_VALUE_MASK, user: 'cm9vdA==', added: SECRET_VALUE_MASK } };
    expect(unmaskSecret(edited, stored)).toEqual({
      kind: 'Secret',
      metadata: { name: 's', annotations: { [LAST]: stored.metadata.annotations[LAST], other: 'kept' } },
      data: { password: 'aHVudGVyMg==', user: 'cm9vdA==' },
    });
  });

  it('leaves other kinds alone', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    expect(forDisplay(cm)).toEqual(cm);
    expect(unmaskSecret(cm, {})).toBe(cm);
  });
});
