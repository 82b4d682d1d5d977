import { describe, expect, it } from 'vitest';
import { TOP_LEVEL_KINDS, allMessageDefs, messageDef } from './schema';

describe('protobuf field maps', () => {
  it('compile: numbers and names unique, references resolved, no cycles', () => {
    expect(allMessageDefs().length).toBeGreaterThan(50);
  });

  it.each(Object.entries(TOP_LEVEL_KINDS))('%s has ObjectMeta as field 1', (_gvk, name) => {
    const meta = messageDef(name).byNum.get(1);
    expect(meta).toMatchObject({ name: 'metadata', kind: 'msg', msg: 'ObjectMeta' });
  });

  it('inlines the embedded structs Go marks inline in JSON', () => {
    for (const [msg, field] of [['ConfigMapKeySelector', 1], ['SecretEnvSource', 1], ['Probe', 1], ['Volume', 2]] as const) {
      expect(messageDef(msg).byNum.get(field)?.inline).toBe(true);
    }
  });
});
