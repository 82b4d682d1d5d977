/**
 * Generic validation shared by every kind and by the API for metadata: the name formats of
 * apimachinery's util/validation and ObjectMeta validation (api/validation/objectmeta.go, 1.30 wording).
 */
import type { FieldCause } from '../status';
import { child, index, key } from './field-path';
import { forbidden, invalid, required, tooLong, typeInvalid } from './field-errors';
import { goStringSlice } from './go-format';
import { asArray, asNumber, asObject, asString, isUnset, type JsonObject } from './json-access';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const PERCENT_FMT = '[0-9]+%';
const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';

const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);
const configMapKeyRe = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);
const percentRe = new RegExp(`^${PERCENT_FMT}$`);
const envVarNameRe = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

/** Go's len(): bytes, not UTF-16 units. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** apimachinery RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')` */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Problems with `value` as an RFC 1123 label (empty list = valid). */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

/** Problems with `value` as an RFC 1123 subdomain (empty list = valid). */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

/** Problems with `value` as an RFC 1035 label (Service names). */
export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Problems with `value` as a qualified name (label keys, annotation keys, finalizers). */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedNameRe.test(name))
    errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** Problems with `value` as a label value. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/** Problems with `value` as a ConfigMap/Secret data key. */
export function configMapKeyErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRe.test(value))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_MAP_KEY_FMT,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  errs.push(...chDirPrefixErrors(value));
  return errs;
}

function chDirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** Problems with `value` as an IANA_SVC_NAME port name. */
export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function percentErrors(value: string): string[] {
  return percentRe.test(value)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')];
}

export function envVarNameErrors(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRe.test(value))
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_NAME_FMT,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  errs.push(...chDirPrefixErrors(value));
  return errs;
}

export function pathSegmentNameErrors(name: string, prefix = false): string[] {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** True when `value` is an RFC 1123 label (namespace names, container names). */
export function isDns1123Label(value: string): boolean {
  return dns1123LabelErrors(value).length === 0;
}

/** True when `value` is an RFC 1123 subdomain (most object names). */
export function isDns1123Subdomain(value: string): boolean {
  return dns1123SubdomainErrors(value).length === 0;
}

/** True when `value` is a qualified name (label/annotation keys). */
export function isQualifiedName(value: string): boolean {
  return qualifiedNameErrors(value).length === 0;
}

/** True when `value` is a valid label value ('' included). */
export function isValidLabelValue(value: string): boolean {
  return labelValueErrors(value).length === 0;
}

/** Which name format a kind's metadata.name must follow. */
export type NameValidator = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

// generateName is validated as a prefix: a trailing '-' is masked so "web-" passes (apimachinery maskTrailingDash).
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** The messages of a name validator (ValidateNameFunc); `prefix` is true for generateName. */
export function nameErrors(validator: NameValidator, name: string, prefix: boolean): string[] {
  switch (validator) {
    case 'dns1123Subdomain':
      return dns1123SubdomainErrors(prefix ? maskTrailingDash(name) : name);
    case 'dns1123Label':
      return dns1123LabelErrors(prefix ? maskTrailingDash(name) : name);
    case 'dns1035Label':
      return dns1035LabelErrors(prefix ? maskTrailingDash(name) : name);
    case 'pathSegment':
      return pathSegmentNameErrors(name, prefix);
  }
}

/** Field causes for a value that must be an RFC 1123 label. */
export function validateDns1123Label(value: string, path: string): FieldCause[] {
  return dns1123LabelErrors(value).map((msg) => invalid(path, value, msg));
}

export function validateDns1123Subdomain(value: string, path: string): FieldCause[] {
  return dns1123SubdomainErrors(value).map((msg) => invalid(path, value, msg));
}

export function validateQualifiedName(value: string, path: string): FieldCause[] {
  return qualifiedNameErrors(value).map((msg) => invalid(path, value, msg));
}

/** ValidateNonnegativeField */
export function validateNonnegative(value: number, path: string): FieldCause[] {
  return value < 0 ? [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** metav1 ValidateLabels: causes are reported on the map's path, not per key. */
export function validateLabels(labels: unknown, path: string): FieldCause[] {
  if (isUnset(labels)) return [];
  const map = asObject(labels);
  if (!map) return [typeInvalid(path, labels, 'expected map[string]string')];
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(map)) {
    for (const msg of qualifiedNameErrors(k)) causes.push(invalid(path, k, msg));
    if (typeof v !== 'string') {
      causes.push(typeInvalid(key(path, k), v, 'expected string'));
      continue;
    }
    for (const msg of labelValueErrors(v)) causes.push(invalid(path, v, msg));
  }
  return causes;
}

/** metav1 ValidateLabelSelector (matchLabels and matchExpressions). */
export function validateLabelSelector(selector: unknown, path: string): FieldCause[] {
  if (isUnset(selector)) return [];
  const sel = asObject(selector);
  if (!sel) return [typeInvalid(path, selector, 'expected a label selector object')];
  const causes = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  const exprs = sel.matchExpressions;
  if (isUnset(exprs)) return causes;
  const list = asArray(exprs);
  if (!list) return [...causes, typeInvalid(child(path, 'matchExpressions'), exprs, 'expected an array')];
  list.forEach((raw, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const expr = asObject(raw) ?? {};
    const operator = asString(expr.operator) ?? '';
    const values = (asArray(expr.values) ?? []).map((v) => asString(v) ?? '');
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) causes.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          causes.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        causes.push(invalid(child(p, 'operator'), operator, 'not a valid selector operator'));
    }
    const k = asString(expr.key) ?? '';
    for (const msg of qualifiedNameErrors(k)) causes.push(invalid(child(p, 'key'), k, msg));
    values.forEach((v, vi) => {
      for (const msg of labelValueErrors(v)) causes.push(invalid(index(child(p, 'values'), vi), v, msg));
    });
  });
  return causes;
}

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size at most 256 KiB. */
export function validateAnnotations(annotations: unknown, path: string): FieldCause[] {
  if (isUnset(annotations)) return [];
  const map = asObject(annotations);
  if (!map) return [typeInvalid(path, annotations, 'expected map[string]string')];
  const causes: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(map)) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) causes.push(invalid(path, k, msg));
    if (typeof v !== 'string') causes.push(typeInvalid(key(path, k), v, 'expected string'));
    else total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) causes.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return causes;
}

// schema.ParseGroupVersion: "v1" -> ("", "v1"), "apps/v1" -> ("apps", "v1"), more slashes -> invalid.
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) return parts[1];
  return '';
}

function validateOwnerReferences(refs: unknown, path: string): FieldCause[] {
  if (isUnset(refs)) return [];
  const list = asArray(refs);
  if (!list) return [typeInvalid(path, refs, 'expected an array')];
  const causes: FieldCause[] = [];
  let firstController = '';
  for (const raw of list) {
    const ref = asObject(raw) ?? {};
    const apiVersion = asString(ref.apiVersion) ?? '';
    const kind = asString(ref.kind) ?? '';
    const name = asString(ref.name) ?? '';
    const uid = asString(ref.uid) ?? '';
    if (versionOf(apiVersion) === '') causes.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (kind === '') causes.push(invalid(child(path, 'kind'), kind, 'kind must not be empty'));
    if (name === '') causes.push(invalid(child(path, 'name'), name, 'name must not be empty'));
    if (uid === '') causes.push(invalid(child(path, 'uid'), uid, 'uid must not be empty'));
    if (apiVersion === 'v1' && kind === 'Event') causes.push(invalid(path, raw, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const current = `${kind}/${name}`;
      if (firstController)
        causes.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      else firstController = current;
    }
  }
  return causes;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateFinalizers(finalizers: unknown, path: string): FieldCause[] {
  if (isUnset(finalizers)) return [];
  const list = asArray(finalizers);
  if (!list) return [typeInvalid(path, finalizers, 'expected an array of strings')];
  const causes: FieldCause[] = [];
  const names = list.map((f) => asString(f) ?? '');
  for (const f of names) for (const msg of qualifiedNameErrors(f)) causes.push(invalid(path, f, msg));
  if (names.includes('orphan') && names.includes('foregroundDeletion'))
    causes.push(invalid(path, goStringSlice(names), 'finalizer orphan and foregroundDeletion cannot be both set'));
  names.forEach((f, i) => {
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f))
      causes.push(invalid(index(path, i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return causes;
}

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  nameValidator: NameValidator;
}

/**
 * ValidateObjectMeta for a create (name generation already done by the caller): name or generateName,
 * namespace, labels, annotations, ownerReferences and finalizers. Paths start with `metadata.`.
 */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaValidationOptions): FieldCause[] {
  const path = 'metadata';
  const m: JsonObject = asObject(meta) ?? {};
  const causes: FieldCause[] = [];
  const generateName = asString(m.generateName) ?? '';
  if (generateName)
    for (const msg of nameErrors(opts.nameValidator, generateName, true))
      causes.push(invalid(child(path, 'generateName'), generateName, msg));
  const name = asString(m.name) ?? '';
  if (!name) causes.push(required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of nameErrors(opts.nameValidator, name, false)) causes.push(invalid(child(path, 'name'), name, msg));

  const namespace = asString(m.namespace) ?? '';
  if (opts.namespaced) {
    if (!namespace) causes.push(required(child(path, 'namespace')));
    else for (const msg of dns1123LabelErrors(namespace)) causes.push(invalid(child(path, 'namespace'), namespace, msg));
  } else if (namespace) {
    causes.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  const generation = asNumber(m.generation);
  if (generation !== undefined) causes.push(...validateNonnegative(generation, child(path, 'generation')));
  causes.push(...validateLabels(m.labels, child(path, 'labels')));
  causes.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  causes.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  causes.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return causes;
}
