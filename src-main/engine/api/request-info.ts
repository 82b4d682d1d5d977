/** Parse a Kubernetes API path into what it addresses (apiserver's RequestInfoFactory, for the paths we serve). */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  /** '' for the core group */
  group: string;
  version: string;
  /** '' for cluster-scoped or all-namespaces requests */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: Verb;
}

export interface NonResourceRequest {
  kind: 'nonresource';
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

function verbFor(method: string, hasName: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/**
 * Returns undefined for a resource path of an unknown shape (too many segments and such);
 * `method` is the HTTP method, `query` the parsed search params.
 */
export function parseRequestInfo(pathname: string, method: string, query: URLSearchParams): RequestInfo | undefined {
  const trimmed = pathname.replace(/\/+$/, '');
  const parts = trimmed.split('/').filter((p) => p !== '');
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'nonresource', path: trimmed === '' ? '/' : trimmed };
  }
  if (rest.length === 0) return { kind: 'nonresource', path: trimmed };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    if (rest.length === 2 || (rest.length === 3 && group === '' && (rest[2] === 'status' || rest[2] === 'finalize'))) {
      // the namespace object itself
      namespace = '';
    } else {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const [resource, name = '', subresource = ''] = rest;
  const watch = legacyWatch || isTrue(query.get('watch'));
  const verb = verbFor(method, name !== '', watch && subresource === '');
  if (!verb) return undefined;
  if (legacyWatch && verb !== 'watch') return undefined;
  if (namespace !== '' && !/^[^/]+$/.test(namespace)) return undefined;
  return {
    kind: 'resource',
    group,
    version,
    namespace: decodeURIComponent(namespace),
    resource,
    name: decodeURIComponent(name),
    subresource,
    verb,
  };
}
