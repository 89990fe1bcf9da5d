import { describe, expect, it } from 'vitest';
import { isAuthorizeUrl, readOriginalRequest } from './request-shape.js';

describe('isAuthorizeUrl', () => {
  it.each(['/api/auth', '/api/auth?x=1', '/api/auth/', '/api/auth/api/agents'])(
    'recognises %s',
    (url) => expect(isAuthorizeUrl(url)).toBe(true),
  );
  it.each(['/api/authz', '/api/auth-x', '/API/AUTH', '/api', '/x/api/auth', ''])(
    'does not recognise %s',
    (url) => expect(isAuthorizeUrl(url)).toBe(false),
  );
});

describe('readOriginalRequest', () => {
  const nginxHeaders = { 'x-original-uri': '/api/agents?a=1', 'x-original-method': 'PATCH' };

  it('reads the Envoy shape from the target and ignores X-Original-* there', () => {
    expect(readOriginalRequest('DELETE', '/api/auth/api/agents/1?x', nginxHeaders)).toEqual({
      shape: 'envoy',
      method: 'DELETE',
      target: '/api/agents/1?x',
    });
  });

  it('treats /api/auth/ as Envoy asking about the root, not as the bare nginx shape', () => {
    expect(readOriginalRequest('GET', '/api/auth/', nginxHeaders)).toEqual({
      shape: 'envoy',
      method: 'GET',
      target: '/',
    });
  });

  it('reads the nginx shape from X-Original-URI and X-Original-Method on the bare path', () => {
    expect(readOriginalRequest('GET', '/api/auth', nginxHeaders)).toEqual({
      shape: 'nginx',
      method: 'PATCH',
      target: '/api/agents?a=1',
    });
    expect(readOriginalRequest('GET', '/api/auth?access-token=t', nginxHeaders)).toEqual({
      shape: 'nginx',
      method: 'PATCH',
      target: '/api/agents?a=1',
    });
  });

  it('leaves the target and method unknown when nginx did not send usable headers', () => {
    expect(readOriginalRequest('GET', '/api/auth', {})).toEqual({
      shape: 'nginx',
      method: undefined,
      target: undefined,
    });
    expect(
      readOriginalRequest('GET', '/api/auth', {
        'x-original-uri': ['/a', '/b'],
        'x-original-method': 'GET POST',
      }),
    ).toEqual({ shape: 'nginx', method: undefined, target: undefined });
  });
});
