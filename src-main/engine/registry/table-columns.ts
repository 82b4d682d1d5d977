/** Column definitions shared by the kinds' tables (pkg/printers/internalversion/printers.go). */
import type { TableColumn } from './resource-type';

export function column(
  name: string,
  type: TableColumn['type'],
  description: string,
  priority = 0,
  format = '',
): TableColumn {
  return { name, type, format, description, priority };
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The "Name" column (format "name"), as every printer declares it. */
export function nameColumn(priority = 0): TableColumn {
  return column('Name', 'string', NAME_DESCRIPTION, priority, 'name');
}

/** The "Age" column: type "string", the server formats the age itself. */
export function ageColumn(): TableColumn {
  return column('Age', 'string', AGE_DESCRIPTION);
}

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';
