import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES, AUTH_ERROR_MESSAGES } from './errors.js';
import { statusForCode, wwwAuthenticate } from './http-status.js';

describe('statusForCode', () => {
  it.each(AUTH_ERROR_CODES)('maps %s to 401 or 403, with a challenge exactly on 401', (code) => {
    const status = statusForCode(code);
    expect([401, 403]).toContain(status);
    const challenge = wwwAuthenticate(code);
    if (status === 401) expect(challenge).toMatch(/^Bearer realm="agentauth"/);
    else expect(challenge).toBeUndefined();
    // RFC 6750: error_description is printable ASCII without quote or backslash.
    expect(challenge ?? '').toMatch(/^[\x20-\x7e]*$/);
    expect(AUTH_ERROR_MESSAGES[code]).toMatch(/\.$/);
  });

  it('uses a bare challenge when no token was sent and invalid_request for two tokens', () => {
    expect(wwwAuthenticate('ERR_TOKEN_MISSING')).toBe('Bearer realm="agentauth"');
    expect(wwwAuthenticate('ERR_TOKEN_AMBIGUOUS')).toContain('error="invalid_request"');
    expect(wwwAuthenticate('ERR_TOKEN_EXPIRED')).toContain('error="invalid_token"');
  });

  it('answers 403 for a forbidden role and for ungoverned paths', () => {
    expect(statusForCode('ERR_ROLE_FORBIDDEN')).toBe(403);
    expect(statusForCode('ERR_PATH_NOT_GOVERNED')).toBe(403);
  });
});
