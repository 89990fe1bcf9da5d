import { PUBLIC_DEFAULT_SECRET } from '../secret.js';
import { MAX_TOKEN_LENGTH } from '../token-format.js';
import { rawToken } from './raw-token.js';
import { refused as no, type TokenCase } from './token-case.js';

const H = '{"alg":"HS256"}';

/**
 * Tokens an attacker might try beyond the basic matrix: key confusion, header parameters (`kid`,
 * `jku`, `jwk`, `x5u`, `crit`), duplicated claims (also spelled with JSON escapes), algorithm
 * spellings (ES256 with an embedded jwk, PS256, lower-case `hs256`) and encoding tricks. Every one
 * is refused with 401; the code says which check refused it. `tokenMatrix` ends with these rows,
 * so every suite that runs the matrix runs them too.
 * @example for (const t of attackTokens(secret)) expect((await authorize(t.token)).status).toBe(401)
 */
export function attackTokens(secret: string, nowMs: number = Date.now()): TokenCase[] {
  const key = secret.toLowerCase();
  const exp = Math.floor(nowMs / 1000) + 3600;
  const claims = {
    sub: 'alice',
    userId: 7,
    googleId: null,
    email: 'alice@example.com',
    role: 'ADMIN',
    googleAvatar: null,
    exp,
  };
  const sign = (header: object | string, payload: object | string = claims) =>
    rawToken(header, payload, key);
  const attackerKey = 'attacker-chosen-key-0123456789abcdef';
  const valid = sign(H);
  const [vh, vp, vs] = valid.split('.') as [string, string, string];

  return [
    // Key confusion: the key is never chosen by the token or guessable.
    no(
      'signed with the platform public default secret',
      rawToken(H, claims, PUBLIC_DEFAULT_SECRET),
      'ERR_TOKEN_SIGNATURE',
    ),
    no('signed with an empty key', rawToken(H, claims, ''), 'ERR_TOKEN_SIGNATURE'),
    no(
      'signed with the secret plus a newline',
      rawToken(H, claims, `${key}\n`),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'keyed by only the first 32 characters of the secret',
      rawToken(H, claims, key.slice(0, 32)),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'an embedded jwk with the attacker key',
      rawToken(
        { alg: 'HS256', jwk: { kty: 'oct', k: Buffer.from(attackerKey).toString('base64url') } },
        claims,
        attackerKey,
      ),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'a kid pointing at /dev/null, signed with an empty key',
      rawToken({ alg: 'HS256', kid: '../../../../../../dev/null' }, claims, ''),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'a kid with SQL injection',
      rawToken(
        { alg: 'HS256', kid: "x' UNION SELECT 'attacker-chosen-key-0123456789abcdef' --" },
        claims,
        attackerKey,
      ),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'a jku to a loopback JWKS',
      rawToken({ alg: 'HS256', jku: 'http://127.0.0.1:1/jwks.json' }, claims, attackerKey),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'an x5u header',
      rawToken({ alg: 'HS256', x5u: 'http://127.0.0.1:1/cert.pem' }, claims, attackerKey),
      'ERR_TOKEN_SIGNATURE',
    ),
    no(
      'an ES256 header with an embedded jwk',
      rawToken({ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } }, claims, key),
      'ERR_TOKEN_ALGORITHM',
    ),
    no(
      'a PS256 header HMAC-signed with the secret',
      rawToken({ alg: 'PS256' }, claims, key),
      'ERR_TOKEN_ALGORITHM',
    ),
    no('alg hs256 in lower case', rawToken({ alg: 'hs256' }, claims, key), 'ERR_TOKEN_ALGORITHM'),
    no(
      'alg "HS256 " with a trailing space',
      rawToken({ alg: 'HS256 ' }, claims, key),
      'ERR_TOKEN_ALGORITHM',
    ),
    no('alg given as a list', rawToken({ alg: ['HS256'] }, claims, key), 'ERR_TOKEN_ALGORITHM'),
    // crit: the platform's verifier understands no extension, so any crit is refused.
    no(
      'crit b64 false (unencoded payload)',
      sign({ alg: 'HS256', b64: false, crit: ['b64'] }),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'crit naming a registered claim',
      sign({ alg: 'HS256', crit: ['exp'] }),
      'ERR_TOKEN_MALFORMED',
    ),
    no('an empty crit list', sign({ alg: 'HS256', crit: [] }), 'ERR_TOKEN_MALFORMED'),
    // Duplicated members: JSON.parse keeps the last, jose4j refuses; so must we.
    no(
      'a duplicated sub (alice, then root)',
      sign(H, `{"sub":"alice","userId":7,"sub":"root","role":"REGULAR","exp":${exp}}`),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a duplicated userId spelled with a JSON escape',
      sign(H, `{"sub":"alice","userId":7,"user\\u0049d":1,"role":"REGULAR","exp":${exp}}`),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a duplicated role spelled with a JSON escape',
      sign(H, `{"sub":"alice","userId":7,"role":"RESTRICTED","r\\u006fle":"ADMIN","exp":${exp}}`),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a duplicated exp (expired, then far future)',
      sign(H, `{"sub":"alice","userId":7,"role":"REGULAR","exp":1,"exp":${exp}}`),
      'ERR_TOKEN_MALFORMED',
    ),
    no(
      'a duplicated alg header (HS256, then none)',
      sign('{"alg":"HS256","alg":"none"}'),
      'ERR_TOKEN_MALFORMED',
    ),
    // Claim types.
    no(
      'a role given as an object',
      sign(H, { ...claims, role: { name: 'ADMIN' } }),
      'ERR_TOKEN_CLAIMS',
    ),
    no('an audience list', sign(H, { ...claims, aud: ['agent-service'] }), 'ERR_TOKEN_AUDIENCE'),
    // Encodings.
    no('segments with base64 padding', `${vh}=.${vp}=.${vs}=`, 'ERR_TOKEN_MALFORMED'),
    no(
      'a payload in standard base64 (+ and /)',
      `${vh}.${Buffer.from(JSON.stringify({ ...claims, sub: '>>>?' })).toString('base64')}.${vs}`,
      'ERR_TOKEN_MALFORMED',
    ),
    no('five segments (JWE shape)', `${vh}.${vp}.${vs}.${vs}.${vs}`, 'ERR_TOKEN_MALFORMED'),
    no('an empty signature with alg HS256', `${vh}.${vp}.`, 'ERR_TOKEN_MALFORMED'),
    no(
      `a token of ${MAX_TOKEN_LENGTH + 1} characters`,
      `${vh}.${vp}${'A'.repeat(MAX_TOKEN_LENGTH + 1 - valid.length)}.${vs}`,
      'ERR_TOKEN_TOO_LARGE',
    ),
    no('a 15 KiB token', `${vh}.${'A'.repeat(15 * 1024)}.${vs}`, 'ERR_TOKEN_TOO_LARGE'),
  ];
}
