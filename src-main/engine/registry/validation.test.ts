import { describe, expect, it } from 'vitest';
import {
  dns1123LabelErrors,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameErrors,
  qualifiedNameErrors,
  validateLabelSelector,
  validateObjectMeta,
} from './validation';

const subdomainOpts = { namespaced: true, nameValidator: 'dns1123Subdomain' } as const;

function messages(causes: { field: string; message: string }[]): string[] {
  return causes.map((c) => `${c.field}: ${c.message}`);
}

describe('name formats', () => {
  it('accepts and rejects DNS-1123 labels and subdomains', () => {
    expect(isDns1123Label('web-1')).toBe(true);
    expect(isDns1123Label('a.b')).toBe(false);
    expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
    expect(isDns1123Label('x'.repeat(64))).toBe(false);
    expect(isDns1123Subdomain('example.com')).toBe(true);
    expect(isDns1123Subdomain('Bad_Name')).toBe(false);
  });

  it('checks qualified names with prefixes', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toBe(true);
    expect(isQualifiedName('/name')).toBe(false);
    expect(qualifiedNameErrors('/name')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(qualifiedNameErrors('-x')[0]).toBe(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  });

  it('checks label values', () => {
    expect(isValidLabelValue('')).toBe(true);
    expect(isValidLabelValue('v1.2_3')).toBe(true);
    expect(isValidLabelValue('-bad')).toBe(false);
  });

  it('masks a trailing dash of generateName', () => {
    expect(nameErrors('dns1123Subdomain', 'web-', true)).toEqual([]);
    expect(nameErrors('dns1123Subdomain', 'web-', false)).not.toEqual([]);
    expect(nameErrors('pathSegment', 'a/b', false)).toEqual(["may not contain '/'"]);
    expect(nameErrors('dns1035Label', '1abc', false)[0]).toMatch(/^a DNS-1035 label/);
  });
});

describe('validateObjectMeta', () => {
  it('requires a name or generateName', () => {
    expect(messages(validateObjectMeta({ namespace: 'default' }, subdomainOpts))).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('words an invalid subdomain name like the real server', () => {
    expect(messages(validateObjectMeta({ name: 'Bad_Name', namespace: 'default' }, subdomainOpts))).toEqual([
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('words an invalid label name with the double-spaced example list', () => {
    const causes = validateObjectMeta({ name: 'a.b.' }, { namespaced: false, nameValidator: 'dns1123Label' });
    expect(causes[0].message).toBe(
      `Invalid value: "a.b.": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('checks the namespace against the scope', () => {
    expect(messages(validateObjectMeta({ name: 'x' }, subdomainOpts))).toEqual(['metadata.namespace: Required value']);
    expect(messages(validateObjectMeta({ name: 'x', namespace: 'ns' }, { namespaced: false, nameValidator: 'dns1123Subdomain' }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('reports label keys and values on metadata.labels', () => {
    const causes = validateObjectMeta({ name: 'x', namespace: 'd', labels: { 'bad key': 'ok', good: 'x'.repeat(64) } }, subdomainOpts);
    expect(causes.map((c) => c.field)).toEqual(['metadata.labels', 'metadata.labels']);
    expect(causes[0].message).toMatch(/^Invalid value: "bad key": name part must consist of/);
    expect(causes[1].message).toBe(`Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
    const bad = validateObjectMeta({ name: 'x', namespace: 'd', labels: { k: '-v' } }, subdomainOpts);
    expect(bad[0].message).toMatch(/^Invalid value: "-v": a valid label must be an empty string/);
  });

  it('limits annotations to 256 KiB in total', () => {
    const causes = validateObjectMeta({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }, subdomainOpts);
    expect(messages(causes)).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
    expect(validateObjectMeta({ name: 'x', namespace: 'd', annotations: { 'Example.COM/Key': 'v' } }, subdomainOpts)).toEqual([]);
  });

  it('checks owner references and finalizers', () => {
    const causes = validateObjectMeta(
      {
        name: 'x',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: '', kind: '', name: '', uid: '', controller: true },
        ],
        finalizers: ['custom', 'example.com/ok', 'orphan', 'foregroundDeletion'],
      },
      subdomainOpts,
    );
    expect(messages(causes)).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      expect.stringContaining('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and /'),
      'metadata.finalizers: Invalid value: []string{"custom", "example.com/ok", "orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('validateLabelSelector', () => {
  it('checks operators, values and keys', () => {
    const causes = validateLabelSelector(
      {
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Near' },
        ],
      },
      'spec.selector',
    );
    expect(messages(causes)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]);
  });
});
