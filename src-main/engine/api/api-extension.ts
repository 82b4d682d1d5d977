/**
 * An API group served by code rather than by the object store (metrics.k8s.io, custom.metrics.k8s.io, like
 * kube-apiserver's aggregated APIs): listed in discovery beside the registry's groups, and handed every
 * request under /apis/<group>/<version>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRequest } from './request-info';

/** One entry of the group/version's APIResourceList. */
export interface ExtensionResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

export interface ApiExtension {
  group: string;
  version: string;
  resources: ExtensionResource[];
  /** Serve a request under the group/version; errors thrown become Status responses. */
  handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): void | Promise<void>;
}
