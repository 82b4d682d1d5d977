import { describe, it, expect } from 'vitest';
import * as selectors from './index';

describe('selectors index', () => {
  it('exports the public functions', () => {
    for (const name of [
      'parseLabelSelector',
      'matchesLabels',
      'labelSelectorFromObject',
      'labelSelectorFromSet',
      'formatLabelSelector',
      'parseFieldSelector',
      'matchesFields',
      'unsupportedFields',
      'SelectorError',
    ] as const) {
      expect(typeof selectors[name], name).toBe('function');
    }
  });
});
