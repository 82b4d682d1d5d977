import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from './request-info';

const q = (s = '') => new URLSearchParams(s);

describe('parseRequestInfo', () => {
  it('parses namespaced core resources', () => {
    expect(parseRequestInfo('/api/v1/namespaces/default/pods/web', 'GET', q())).toMatchObject({
      kind: 'resource', group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', verb: 'get',
    });
    expect(parseRequestInfo('/api/v1/namespaces/default/pods', 'GET', q('watch=true'))).toMatchObject({ verb: 'watch', name: '' });
    expect(parseRequestInfo('/api/v1/namespaces/default/pods', 'DELETE', q())).toMatchObject({ verb: 'deletecollection' });
  });
  it('parses groups, subresources and the namespace object', () => {
    expect(parseRequestInfo('/apis/apps/v1/namespaces/ns/deployments/web/scale', 'PATCH', q())).toMatchObject({
      group: 'apps', resource: 'deployments', name: 'web', subresource: 'scale', verb: 'patch',
    });
    expect(parseRequestInfo('/api/v1/namespaces/foo', 'DELETE', q())).toMatchObject({ resource: 'namespaces', name: 'foo', namespace: '', verb: 'delete' });
    expect(parseRequestInfo('/api/v1/namespaces/foo/status', 'PUT', q())).toMatchObject({ resource: 'namespaces', name: 'foo', subresource: 'status' });
    expect(parseRequestInfo('/api/v1/pods', 'GET', q())).toMatchObject({ namespace: '', resource: 'pods', verb: 'list' });
  });
  it('supports the legacy /watch/ prefix and trailing slashes', () => {
    expect(parseRequestInfo('/api/v1/watch/namespaces/a/pods', 'GET', q())).toMatchObject({ verb: 'watch', namespace: 'a' });
    expect(parseRequestInfo('/apis/apps/v1/', 'GET', q())).toEqual({ kind: 'nonresource', path: '/apis/apps/v1' });
    expect(parseRequestInfo('/version/', 'GET', q())).toEqual({ kind: 'nonresource', path: '/version' });
  });
  it('rejects garbage shapes', () => {
    expect(parseRequestInfo('/api/v1/namespaces/a/pods/b/c/d', 'GET', q())).toBeUndefined();
    expect(parseRequestInfo('/api/v1/pods', 'OPTIONS', q())).toBeUndefined();
  });
});
