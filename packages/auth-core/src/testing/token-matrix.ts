import type { SessionUser } from '../session-user.js';
import { CLOCK_SKEW_SECONDS, MAX_TOKEN_LENGTH } from '../token-format.js';
import { attackTokens } from './attack-tokens.js';
import { platformToken, rawToken } from './raw-token.js';
import { refused as no, admitted as ok, type TokenCase } from './token-case.js';

export type { TokenCase } from './token-case.js';

const H = '{"alg":"HS256"}';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The shared bad-token matrix (plus the good tokens it is measured against), built without jose,
 * ending with the attacker catalogue (`attackTokens`). Every service's tests run it, so a class of
 * token is refused the same way everywhere.
 * @example for (const c of tokenMatrix(secret)) expect(await decide(c.token)).toBe(c.status)
 */
export function tokenMatrix(secret: string, nowMs: number = Date.now()): TokenCase[] {
  const key = secret.toLowerCase();
  const now = Math.floor(nowMs / 1000);
  const exp = now + 3600;
  const base = {
    sub: 'alice',
    userId: 7,
    googleId: null,
    email: 'alice@example.com',
    role: 'REGULAR',
    googleAvatar: null,
    exp,
  };
  const sign = (payload: object | string | Buffer, header: object | string | Buffer = H) =>
    rawToken(header, payload, key);
  const alice: SessionUser = { uid: 7, name: 'alice', email: 'alice@example.com', role: 'REGULAR' };
  const valid = sign(base);
  const [vh, vp, vs] = valid.split('.') as [string, string, string];
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

  const basic: TokenCase[] = [
    ok('a REGULAR token from the platform issuer', platformToken(secret, base), alice),
    ok(
      'an ADMIN token',
      platformToken(secret, { ...base, sub: 'root', userId: 1, role: 'ADMIN' }),
      {
        uid: 1,
        name: 'root',
        email: 'alice@example.com',
        role: 'ADMIN',
      },
    ),
    ok('a token with a null email', sign({ ...base, email: null }), { ...alice, email: null }),
    ok('a token without an email claim', sign({ sub: 'alice', userId: 7, role: 'REGULAR', exp }), {
      ...alice,
      email: null,
    }),
    ok(
      'a token with googleId, googleAvatar and avatar',
      sign({ ...base, googleId: 'g-1', googleAvatar: 'https://a/x.png', avatar: 'x' }),
      alice,
    ),
    ok('a non-ASCII name and email', sign({ ...base, sub: 'Zoë 山田', email: 'zoë@exämple.org' }), {
      ...alice,
      name: 'Zoë 山田',
      email: 'zoë@exämple.org',
    }),
    ok('a token expired 10 s ago (within the 30 s skew)', sign({ ...base, exp: now - 10 }), alice),
    ok(
      'a fractional exp (jose4j keeps its whole seconds, still in the future)',
      sign(`{"sub":"alice","userId":7,"role":"REGULAR","exp":${exp}.75}`),
      { ...alice, email: null },
    ),
    ok(
      'a kid header is ignored (the key is never chosen by the token)',
      sign(base, { alg: 'HS256', kid: 'other' }),
      alice,
    ),
    no('an INACTIVE user', sign({ ...base, role: 'INACTIVE' }), 'ERR_ROLE_FORBIDDEN', 403),
    no('a RESTRICTED user', sign({ ...base, role: 'RESTRICTED' }), 'ERR_ROLE_FORBIDDEN', 403),
    no('a token signed with another secret', rawToken(H, base, `${key}x`), 'ERR_TOKEN_SIGNATURE'),
    no(
      'a token keyed by the secret without lower-casing',
      rawToken(H, base, key.toUpperCase() === key ? `${key}X` : key.toUpperCase()),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'a tampered payload (role raised to ADMIN)',
      `${vh}.${Buffer.from(JSON.stringify({ ...base, role: 'ADMIN' })).toString('base64url')}.${vs}`,
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'a tampered header',
      `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${vp}.${vs}`,
      'ERR_TOKEN_SIGNATURE',
    ),
    no('a tampered signature', `${vh}.${vp}.${flip(vs)}`, 'ERR_TOKEN_SIGNATURE'),
    no(
      'alg none with an empty signature',
      rawToken({ alg: 'none' }, base, key, { signature: '' }),
      'ERR_TOKEN_MALFORMED',
    ),
    no('alg none with a signature', rawToken({ alg: 'none' }, base, key), 'ERR_TOKEN_ALGORITHM'),
    no('alg NONE in capitals', rawToken({ alg: 'NONE' }, base, key), 'ERR_TOKEN_ALGORITHM'),
    no(
      'alg HS384',
      rawToken({ alg: 'HS384' }, base, key, { hash: 'sha384' }),
      'ERR_TOKEN_ALGORITHM',
    ),
    no(
      'alg HS512',
      rawToken({ alg: 'HS512' }, base, key, { hash: 'sha512' }),
      'ERR_TOKEN_ALGORITHM',
    ),
    no(
      'an RS256 header HMAC-signed with the secret (key confusion)',
      rawToken({ alg: 'RS256' }, base, key),
      'ERR_TOKEN_ALGORITHM',
    ),
    no('a header without alg', rawToken({ typ: 'JWT' }, base, key), 'ERR_TOKEN_ALGORITHM'),
    no(
      'an unknown critical header',
      rawToken({ alg: 'HS256', crit: ['x-bank'], 'x-bank': 1 }, base, key),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a jku header with a signature from another key',
      rawToken({ alg: 'HS256', jku: 'https://evil.example/jwks' }, base, 'attacker-key'),
      'ERR_TOKEN_SIGNATURE',
    ),
    no('a missing sub', sign({ ...base, sub: undefined }), 'ERR_TOKEN_CLAIMS'),
    no('an empty sub', sign({ ...base, sub: '' }), 'ERR_TOKEN_CLAIMS'),
    no('a numeric sub', sign({ ...base, sub: 42 }), 'ERR_TOKEN_CLAIMS'),
    no('a string userId', sign({ ...base, userId: '7' }), 'ERR_TOKEN_CLAIMS'),
    no('a float userId', sign({ ...base, userId: 7.5 }), 'ERR_TOKEN_CLAIMS'),
    no(
      'a userId written as 7.0 (a decimal literal)',
      sign(`{"sub":"alice","userId":7.0,"role":"REGULAR","exp":${exp}}`),
      'ERR_TOKEN_CLAIMS',
    ),
    no(
      'a userId written as 7e0 (an exponent literal)',
      sign(`{"sub":"alice","userId":7e0,"role":"REGULAR","exp":${exp}}`),
      'ERR_TOKEN_CLAIMS',
    ),
    no('a userId beyond 32 bits', sign({ ...base, userId: 2 ** 31 }), 'ERR_TOKEN_CLAIMS'),
    no('a missing userId', sign({ ...base, userId: undefined }), 'ERR_TOKEN_CLAIMS'),
    no('a missing role', sign({ ...base, role: undefined }), 'ERR_TOKEN_CLAIMS'),
    no('an unknown role', sign({ ...base, role: 'SUPERUSER' }), 'ERR_TOKEN_CLAIMS'),
    no('a lower-case role', sign({ ...base, role: 'regular' }), 'ERR_TOKEN_CLAIMS'),
    no('a role given as a list', sign({ ...base, role: ['ADMIN'] }), 'ERR_TOKEN_CLAIMS'),
    no('a numeric email', sign({ ...base, email: 5 }), 'ERR_TOKEN_CLAIMS'),
    no('a missing exp', sign({ ...base, exp: undefined }), 'ERR_TOKEN_CLAIMS'),
    no('a string exp', sign({ ...base, exp: String(exp) }), 'ERR_TOKEN_CLAIMS'),
    no(
      'a token expired 31 s ago (beyond the skew)',
      sign({ ...base, exp: now - 31 }),
      'ERR_TOKEN_EXPIRED',
    ),
    no('a token expired a day ago', sign({ ...base, exp: now - 86_400 }), 'ERR_TOKEN_EXPIRED'),
    no(
      'a token not valid for another minute (nbf)',
      sign({ ...base, nbf: now + 60 }),
      'ERR_TOKEN_NOT_YET_VALID',
    ),
    // Shapes jose accepts but the platform's jose4j verifier refuses (refuseWhatJose4jRefuses).
    no(
      'an exp written as the integer literal 100000000000000000000 (beyond 64 bits)',
      sign(`{"sub":"alice","userId":7,"role":"REGULAR","exp":100000000000000000000}`),
      'ERR_TOKEN_CLAIMS',
    ),
    no(
      'a fractional exp inside the last second of the skew (jose4j keeps whole seconds)',
      sign(`{"sub":"alice","userId":7,"role":"REGULAR","exp":${now - CLOCK_SKEW_SECONDS}.5}`),
      'ERR_TOKEN_EXPIRED',
    ),
    no('a numeric googleId', sign({ ...base, googleId: 5 }), 'ERR_TOKEN_CLAIMS'),
    // Both dates inside the skew window, so the row keeps its code for ~58 s after it is built.
    no(
      'an exp before the nbf',
      sign({ ...base, exp: now + 28, nbf: now + 29 }),
      'ERR_TOKEN_CLAIMS',
    ),
    no('an iat after the exp', sign({ ...base, iat: exp + 60 }), 'ERR_TOKEN_CLAIMS'),
    no('a numeric iss', sign({ ...base, iss: 5 }), 'ERR_TOKEN_CLAIMS'),
    no('a numeric jti', sign({ ...base, jti: 5 }), 'ERR_TOKEN_CLAIMS'),
    no(
      'a cty JWT header (jose4j expects a nested token)',
      sign(base, { alg: 'HS256', cty: 'JWT' }),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a b64 false header without crit (jose4j signs the raw payload)',
      sign(base, { alg: 'HS256', b64: false }),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a UTF-8 byte-order mark before the header JSON',
      sign(base, Buffer.concat([UTF8_BOM, Buffer.from(H)])),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a UTF-8 byte-order mark before the payload JSON',
      sign(Buffer.concat([UTF8_BOM, Buffer.from(JSON.stringify(base))])),
      'ERR_TOKEN_MALFORMED',
    ),
    no('a token with an audience', sign({ ...base, aud: 'agent-service' }), 'ERR_TOKEN_AUDIENCE'),
    no(
      'a duplicated role claim',
      sign(`{"sub":"alice","userId":7,"role":"RESTRICTED","role":"ADMIN","exp":${exp}}`),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a duplicated alg header',
      sign(base, '{"alg":"HS256","alg":"HS256"}'),
      'ERR_TOKEN_MALFORMED',
    ),
    no('a payload that is not JSON', sign('not json'), 'ERR_TOKEN_MALFORMED'),
    no('a payload that is a JSON array', sign('[1,2]'), 'ERR_TOKEN_MALFORMED'),
    no('a header that is not JSON', sign(base, 'alg=HS256'), 'ERR_TOKEN_MALFORMED'),
    no(
      'a payload that is not UTF-8',
      rawToken(H, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), key),
      'ERR_TOKEN_MALFORMED',
    ),
    no('two segments', `${vh}.${vp}`, 'ERR_TOKEN_MALFORMED'),
    no('four segments', `${valid}.${vs}`, 'ERR_TOKEN_MALFORMED'),
    no('characters outside base64url', `${vh}.${vp}+/.${vs}`, 'ERR_TOKEN_MALFORMED'),
    no('a token that is just garbage', 'garbage', 'ERR_TOKEN_MALFORMED'),
    no(
      'an oversized token',
      sign({ ...base, pad: 'x'.repeat(MAX_TOKEN_LENGTH) }),
      'ERR_TOKEN_TOO_LARGE',
    ),
  ];
  return [...basic, ...attackTokens(secret, nowMs)];
}
