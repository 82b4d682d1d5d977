/**
 * The version a request addresses over the type that is stored: request bodies convert in, objects convert
 * out (identity for the stored version). kube-apiserver does the same through its internal version.
 */
import type { KubeObject } from '../object';
import { deepCopy, isPlainObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { apiVersionOf } from '../registry/resource-type';
import { badRequest } from '../status';

export interface VersionView {
  /** the type ObjectService reads and writes */
  storage: ResourceType;
  /** the type the request addressed: the apiVersion of what it sends and gets back */
  served: ResourceType;
  /** whether served differs from storage */
  converts: boolean;
  /** a request body of the served version → the stored version (bodies that are not objects pass through) */
  in(body: unknown): unknown;
  /** a stored object → the served version */
  out(obj: KubeObject): KubeObject;
}

const identity = <T>(x: T): T => x;

export function versionView(served: ResourceType): VersionView {
  const conversion = served.conversion;
  if (!conversion) return { storage: served, served, converts: false, in: identity, out: identity };
  const expectedVersion = apiVersionOf(served);
  return {
    storage: conversion.storage,
    served,
    converts: true,
    in(body) {
      if (!isPlainObject(body)) return body;
      // the same checks ObjectService.decodeBody makes, against the served version
      if (body.apiVersion !== undefined && body.apiVersion !== expectedVersion) {
        const given = typeof body.apiVersion === 'string' ? body.apiVersion : JSON.stringify(body.apiVersion);
        throw badRequest(`the API version in the data (${given}) does not match the expected API version (${expectedVersion})`);
      }
      if (body.kind !== undefined && body.kind !== served.kind) {
        const given = typeof body.kind === 'string' ? body.kind : JSON.stringify(body.kind);
        throw badRequest(`the kind in the data (${given}) does not match the expected kind (${served.kind})`);
      }
      const obj = deepCopy(body);
      if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
      if (!isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
      return conversion.toStorage(obj as unknown as KubeObject);
    },
    out: (obj) => conversion.fromStorage(obj),
  };
}
