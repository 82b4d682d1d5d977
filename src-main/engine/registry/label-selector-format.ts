/**
 * metav1.LabelSelectorAsSelector(...).String() and friends: the selector strings kubectl prints and the
 * Scale subresource returns, e.g. `app=web,tier in (a,b),!canary` (requirements sorted by key).
 */
import { asArray, asObject, asString, isUnset } from './json-access';
import { labelValueErrors, qualifiedNameErrors } from './validation';

export type SelectorOperator = 'in' | 'notin' | 'exists' | '!' | '=';

export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  /** sorted */
  values: string[];
}

/**
 * The requirements of a metav1.LabelSelector. `[]` means "everything" (an empty selector), `undefined`
 * means the selector is invalid (unknown operator, In/NotIn without values, ...), `null` means no selector.
 */
export function labelSelectorRequirements(selector: unknown): LabelRequirement[] | undefined | null {
  if (isUnset(selector)) return null;
  const sel = asObject(selector);
  if (!sel) return undefined;
  const reqs: LabelRequirement[] = [];
  const matchLabels = asObject(sel.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (typeof v !== 'string') return undefined;
    reqs.push({ key: k, operator: '=', values: [v] });
  }
  for (const raw of asArray(sel.matchExpressions) ?? []) {
    const expr = asObject(raw);
    if (!expr) return undefined;
    const key = asString(expr.key) ?? '';
    const values = (asArray(expr.values) ?? []).map((v) => asString(v));
    if (values.some((v) => v === undefined)) return undefined;
    const strValues = (values as string[]).slice().sort();
    switch (asString(expr.operator)) {
      case 'In':
        if (strValues.length === 0) return undefined;
        reqs.push({ key, operator: 'in', values: strValues });
        break;
      case 'NotIn':
        if (strValues.length === 0) return undefined;
        reqs.push({ key, operator: 'notin', values: strValues });
        break;
      case 'Exists':
        if (strValues.length > 0) return undefined;
        reqs.push({ key, operator: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        if (strValues.length > 0) return undefined;
        reqs.push({ key, operator: '!', values: [] });
        break;
      default:
        return undefined;
    }
  }
  // labels.NewRequirement rejects malformed keys and values, which makes the whole conversion fail.
  for (const r of reqs) {
    if (qualifiedNameErrors(r.key).length) return undefined;
    if (r.values.some((v) => labelValueErrors(v).length)) return undefined;
  }
  // labels.internalSelector sorts by key only; keep the given order among equal keys.
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map((x) => x.r);
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
      return `${r.key}=${r.values[0]}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
  }
}

/**
 * LabelSelectorAsSelector(sel).String(): '' for no selector or an empty one, undefined when invalid.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  const reqs = labelSelectorRequirements(selector);
  if (reqs === undefined) return undefined;
  if (reqs === null) return '';
  return reqs.map(requirementString).join(',');
}

/** metav1.FormatLabelSelector: like labelSelectorString but "<none>" when empty and "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const map = asObject(labels) ?? {};
  const keys = Object.keys(map)
    .filter((k) => typeof map[k] === 'string')
    .sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${String(map[k])}`).join(',');
}

/**
 * Whether `labels` satisfy the selector. A null (absent) selector matches nothing and an empty one
 * matches everything, as LabelSelectorAsSelector returns labels.Nothing()/Everything().
 */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const reqs = labelSelectorRequirements(selector);
  if (!reqs) return false;
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && value === r.values[0];
      case 'in':
        return has && r.values.includes(value);
      case 'notin':
        return !has || !r.values.includes(value);
    }
  });
}
