import { describe, it, expect } from 'vitest';
import * as patch from './index';

describe('patch index', () => {
  it('exports the public functions', () => {
    for (const name of [
      'applyJsonPatch',
      'parseJsonPatch',
      'applyMergePatch',
      'applyStrategicMergePatch',
      'strategicMergeForApply',
      'isDirectiveKey',
      'patchMetaFor',
      'patchMetaAt',
      'hasPatchMeta',
      'patchErrorToStatus',
      'PatchError',
    ] as const) {
      expect(typeof patch[name], name).toBe('function');
    }
  });
});
