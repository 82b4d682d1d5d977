/** Label and field selectors for list/watch (`labelSelector`, `fieldSelector`) and for object selectors. */
export { SelectorError } from './selector-error';
export {
  EVERYTHING,
  NOTHING,
  formatLabelSelector,
  formatLabelSelectorForTable,
  labelRequirement,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
  selectsEverything,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
} from './label-selector';
export {
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
  unsupportedFields,
  type FieldOperator,
  type FieldRequirement,
} from './field-selector';
export { labelKeyErrors, labelValueErrors } from './label-validation';
