import { describe, expect, it } from 'vitest';
import { containerCells, goLabelSelector, validateSelectorImmutable } from './workload-validation';

describe('workload helpers', () => {
  it('renders label selectors as Go would', () => {
    expect(goLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }).text).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"In", Values:[]string{"x"}}}}',
    );
  });

  it('treats nil and empty selector parts alike', () => {
    expect(validateSelectorImmutable({ selector: { matchLabels: { a: 'b' } } }, { selector: { matchLabels: { a: 'b' }, matchExpressions: [] } })).toEqual([]);
  });

  it('lays out container names and images', () => {
    expect(containerCells({ template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } })).toEqual(['a,b', 'x,y']);
    expect(containerCells({})).toEqual(['', '']);
  });
});
