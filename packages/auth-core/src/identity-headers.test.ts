import { describe, expect, it } from 'vitest';
import {
  IDENTITY_HEADERS,
  identityHeadersAgree,
  identityHeadersFor,
  readIdentityHeaders,
} from './identity-headers.js';
import type { SessionUser } from './session-user.js';

const zoe: SessionUser = { uid: 42, name: 'Zoë 山田', email: 'zoë@exämple.org', role: 'REGULAR' };

describe('identityHeadersFor', () => {
  it('always sets all three headers, with ASCII-safe values', () => {
    const headers = identityHeadersFor({ ...zoe, email: null });
    expect(Object.keys(headers)).toEqual([...IDENTITY_HEADERS]);
    expect(headers['x-user-email']).toBe('');
    for (const value of Object.values(identityHeadersFor(zoe)))
      expect(value).toMatch(/^[\x21-\x7e]*$/);
  });

  it('round-trips non-ASCII identities through readIdentityHeaders', () => {
    expect(readIdentityHeaders(identityHeadersFor(zoe))).toEqual({
      uid: 42,
      name: zoe.name,
      email: zoe.email,
    });
  });
});

describe('identityHeadersAgree', () => {
  it('accepts absent headers and matching headers', () => {
    expect(identityHeadersAgree({}, zoe)).toBe(true);
    expect(identityHeadersAgree(identityHeadersFor(zoe), zoe)).toBe(true);
  });

  it.each([
    ['another uid', { ...identityHeadersFor(zoe), 'x-user-id': '1' }],
    ['another name', { ...identityHeadersFor(zoe), 'x-user-name': 'mallory' }],
    ['only one header', { 'x-user-id': '42' }],
    ['a repeated header', { ...identityHeadersFor(zoe), 'x-user-id': ['42', '1'] }],
    ['a broken escape', { ...identityHeadersFor(zoe), 'x-user-name': '%E0%A4%A' }],
    ['a non-numeric uid', { ...identityHeadersFor(zoe), 'x-user-id': '42abc' }],
  ])('refuses %s', (_name, headers) => {
    expect(identityHeadersAgree(headers, zoe)).toBe(false);
  });
});
