/** Label key and value syntax, as apimachinery's validation.IsQualifiedName and IsValidLabelValue check it. */

const NAME_MAX = 63;
const PREFIX_MAX = 253;
const NAME_PATTERN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')";

/** Problems with a label key (`[prefix/]name`); empty when it is valid. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  let name: string;
  const errors: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else if (prefix.length > PREFIX_MAX) errors.push(`prefix part must be no more than ${PREFIX_MAX} characters`);
    else if (!DNS_SUBDOMAIN_PATTERN.test(prefix)) {
      errors.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
      );
    }
  } else {
    return [`a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > NAME_MAX) errors.push(`name part must be no more than ${NAME_MAX} characters`);
  else if (!NAME_PATTERN.test(name)) errors.push(`name part ${NAME_RULE}`);
  return errors;
}

/** Problems with a label value (empty is valid); empty when it is valid. */
export function labelValueErrors(value: string): string[] {
  if (value.length > NAME_MAX) return [`must be no more than ${NAME_MAX} characters`];
  if (!VALUE_PATTERN.test(value)) {
    return [
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    ];
  }
  return [];
}
