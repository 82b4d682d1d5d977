import { isPlainObject } from '../../object';
import { labelKeyErrors, labelValueErrors } from './label-validation';
import { SelectorError } from './selector-error';

export { SelectorError } from './selector-error';

/** Operators of apimachinery's selection.Operator: `exists` is a bare key, `!` is `!key`. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a label selector; `values` are sorted and unique. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/**
 * A parsed label selector: requirements ANDed, sorted by key. `matchesNothing` is apimachinery's Nothing
 * selector (what a nil metav1.LabelSelector converts to); no requirements and not Nothing is Everything.
 */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing?: boolean;
}

/** Selects every object (the empty selector). */
export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) });
/** Selects no object (a nil metav1.LabelSelector). */
export const NOTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: true });

const INTEGER = /^[+-]?[0-9]+$/;

/** Builds one validated requirement (apimachinery labels.NewRequirement); throws SelectorError. */
export function labelRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const keyErrors = labelKeyErrors(key);
  if (keyErrors.length > 0) throw new SelectorError(`invalid label key "${key}": ${keyErrors.join('; ')}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) throw new SelectorError(`for 'in', 'notin' operators, values set can't be empty (key "${key}")`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) throw new SelectorError(`exact-match compatibility requires one single value (key "${key}")`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) throw new SelectorError(`values set must be empty for exists and does not exist (key "${key}")`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1 || !INTEGER.test(values[0])) {
        throw new SelectorError(`for 'Gt', 'Lt' operators, exactly one integer value is required (key "${key}")`);
      }
      return { key, operator, values: [values[0]] };
  }
  for (const value of values) {
    const errors = labelValueErrors(value);
    if (errors.length > 0) throw new SelectorError(`invalid label value "${value}" for key "${key}": ${errors.join('; ')}`);
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

function sortedSelector(requirements: LabelRequirement[]): LabelSelector {
  // Array.prototype.sort is stable: requirements on one key keep their written order.
  return { requirements: requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

// --- text form -------------------------------------------------------------------------------------------

type TokenType = 'ident' | 'in' | 'notin' | '!' | '=' | '==' | '!=' | '>' | '<' | '(' | ')' | ',' | 'end';

interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly at: number;
}

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);
const WHITESPACE = /\s/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (WHITESPACE.test(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = text.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        tokens.push({ type: two, text: two, at: i });
        i += 2;
      } else {
        tokens.push({ type: c as TokenType, text: c, at: i });
        i++;
      }
    } else {
      const start = i;
      while (i < text.length && !SPECIAL.has(text[i]) && !WHITESPACE.test(text[i])) i++;
      const word = text.slice(start, i);
      tokens.push({ type: word === 'in' || word === 'notin' ? word : 'ident', text: word, at: start });
    }
  }
  tokens.push({ type: 'end', text: '', at: text.length });
  return tokens;
}

/** Identifiers where a key or value is expected: `in` and `notin` are only keywords after a key. */
function isWord(token: Token): boolean {
  return token.type === 'ident' || token.type === 'in' || token.type === 'notin';
}

class LabelSelectorParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): LabelSelector {
    if (this.peek().type === 'end') return EVERYTHING;
    const requirements: LabelRequirement[] = [];
    for (;;) {
      requirements.push(this.requirement());
      const token = this.next();
      if (token.type === 'end') break;
      if (token.type !== ',') throw this.unexpected(token, "',' or end of selector");
    }
    return sortedSelector(requirements);
  }

  private requirement(): LabelRequirement {
    let token = this.next();
    const negated = token.type === '!';
    if (negated) token = this.next();
    if (!isWord(token)) throw this.unexpected(token, negated ? 'a label key' : "a label key or '!'");
    const key = token.text;
    const following = this.peek().type;
    if (following === ',' || following === 'end') return labelRequirement(key, negated ? '!' : 'exists', []);
    if (negated) throw this.unexpected(this.peek(), `',' or end of selector after '!${key}'`);

    const operator = this.next();
    switch (operator.type) {
      case '=':
      case '==':
      case '!=':
        return labelRequirement(key, operator.type, [this.singleValue()]);
      case '>':
        return labelRequirement(key, 'gt', [this.singleValue()]);
      case '<':
        return labelRequirement(key, 'lt', [this.singleValue()]);
      case 'in':
      case 'notin':
        return labelRequirement(key, operator.type, this.valueSet());
      default:
        throw this.unexpected(operator, `an operator (=, ==, !=, in, notin, >, <) after '${key}'`);
    }
  }

  /** The value after =, ==, !=, > or <; a missing value is the empty string, as in apimachinery. */
  private singleValue(): string {
    const token = this.peek();
    if (token.type === ',' || token.type === 'end') return '';
    if (!isWord(token)) throw this.unexpected(token, 'a label value');
    return this.next().text;
  }

  /** `( v1, v2 )`; an empty item between commas is the empty string, `()` is no values at all. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.type !== '(') throw this.unexpected(open, "'('");
    if (this.peek().type === ')') {
      this.next();
      return [];
    }
    const values: string[] = [];
    for (;;) {
      values.push(isWord(this.peek()) ? this.next().text : '');
      const token = this.next();
      if (token.type === ')') return values;
      if (token.type !== ',') throw this.unexpected(token, "',' or ')'");
    }
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.type !== 'end') this.position++;
    return token;
  }

  private unexpected(token: Token, expected: string): SelectorError {
    const found = token.type === 'end' ? 'end of selector' : `'${token.text}'`;
    return new SelectorError(`unable to parse label selector "${this.text}": found ${found} at position ${token.at}, expected ${expected}`);
  }
}

/**
 * Parses the text form of a label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`, also `a==b`, `a>1`, `a<1`).
 * The empty string selects everything. Throws SelectorError on anything else.
 */
export function parseLabelSelector(text: string): LabelSelector {
  return new LabelSelectorParser(text).parse();
}

// --- object forms ----------------------------------------------------------------------------------------

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** A selector requiring every `key=value` of the set (a Service's or ReplicationController's selector map). */
export function labelSelectorFromSet(set: Readonly<Record<string, string>>): LabelSelector {
  return sortedSelector(Object.keys(set).map((key) => labelRequirement(key, '=', [set[key]])));
}

/**
 * Converts a metav1.LabelSelector (`{matchLabels, matchExpressions}`) like metav1.LabelSelectorAsSelector:
 * `{}` selects everything, null/undefined selects nothing. Throws SelectorError on malformed input.
 */
export function labelSelectorFromObject(selector: unknown): LabelSelector {
  if (selector === null || selector === undefined) return NOTHING;
  if (!isPlainObject(selector)) throw new SelectorError('a label selector must be an object with matchLabels and/or matchExpressions');
  const requirements: LabelRequirement[] = [];

  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) throw new SelectorError('matchLabels must be a map of label keys to values');
    for (const key of Object.keys(matchLabels)) {
      const value = matchLabels[key];
      if (typeof value !== 'string') throw new SelectorError(`matchLabels["${key}"] must be a string`);
      requirements.push(labelRequirement(key, '=', [value]));
    }
  }

  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) throw new SelectorError('matchExpressions must be a list');
    expressions.forEach((expression, i) => requirements.push(expressionRequirement(expression, i)));
  }
  return sortedSelector(requirements);
}

function expressionRequirement(expression: unknown, index: number): LabelRequirement {
  const where = `matchExpressions[${index}]`;
  if (!isPlainObject(expression)) throw new SelectorError(`${where} must be an object`);
  const { key, operator, values } = expression;
  if (typeof key !== 'string') throw new SelectorError(`${where}.key must be a string`);
  if (typeof operator !== 'string' || !Object.prototype.hasOwnProperty.call(EXPRESSION_OPERATORS, operator)) {
    throw new SelectorError(`${where}: ${JSON.stringify(operator) ?? 'undefined'} is not a valid label selector operator`);
  }
  let list: string[] = [];
  if (values !== undefined && values !== null) {
    if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
      throw new SelectorError(`${where}.values must be a list of strings`);
    }
    list = values;
  }
  return labelRequirement(key, EXPRESSION_OPERATORS[operator], list);
}

// --- matching and printing -------------------------------------------------------------------------------

/** Whether `labels` satisfy every requirement; `!=` and `notin` also match objects without the label. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector.matchesNothing) return false;
  return selector.requirements.every((requirement) => requirementMatches(requirement, labels ?? {}));
}

function requirementMatches(requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt': {
      if (value === undefined || !INTEGER.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(requirement.values[0]);
      return requirement.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function requirementToString(requirement: LabelRequirement): string {
  const { key, values } = requirement;
  switch (requirement.operator) {
    case 'exists':
      return key;
    case '!':
      return `!${key}`;
    case 'in':
      return `${key} in (${values.join(',')})`;
    case 'notin':
      return `${key} notin (${values.join(',')})`;
    case 'gt':
      return `${key}>${values[0]}`;
    case 'lt':
      return `${key}<${values[0]}`;
    default:
      return `${key}${requirement.operator}${values[0]}`;
  }
}

/** The canonical text form (apimachinery Selector.String()): requirements by key, `""` for everything or nothing. */
export function labelSelectorToString(selector: LabelSelector): string {
  return selector.requirements.map(requirementToString).join(',');
}

/**
 * The string kubectl shows for a metav1.LabelSelector (Scale `status.selector`, SELECTOR columns):
 * LabelSelectorAsSelector(sel).String(), e.g. `app=web,tier in (a,b)`. Throws SelectorError if invalid.
 */
export function formatLabelSelector(selector: unknown): string {
  return labelSelectorToString(labelSelectorFromObject(selector));
}

/** metav1.FormatLabelSelector, for Table cells: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelectorForTable(selector: unknown): string {
  try {
    return formatLabelSelector(selector) || '<none>';
  } catch (e) {
    if (e instanceof SelectorError) return '<error>';
    throw e;
  }
}

/** Whether the selector has no requirements and therefore selects every object. */
export function selectsEverything(selector: LabelSelector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}
