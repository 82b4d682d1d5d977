/** Discovery verb lists of main resources (fresh arrays, so no two types share one). */

export function fullVerbs(): string[] {
  return ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
}

/** Namespaces cannot be deleted as a collection. */
export function namespaceVerbs(): string[] {
  return ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
}
