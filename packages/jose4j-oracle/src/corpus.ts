import { createHmac } from 'node:crypto';
import { rawToken, tokenMatrix } from '@agentauth/auth-core/testing';

/** One token shape of the differential corpus, signed with the right key unless it says not. */
export interface Shape {
  readonly name: string;
  readonly token: string;
}

const H = '{"alg":"HS256"}';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A generated corpus of token shapes for the differential run against jose4j: every row of
 * auth-core's token matrix, every claim with every JSON type and edge value, header parameters,
 * and lax encodings of base64url and JSON. All signed with `secret` (lower-cased, as the platform
 * keys it) unless the row is about the signature.
 * @example for (const s of shapes(secret, now)) compare(await authCore(s.token), await jose4j(s.token))
 */
export function shapes(secret: string, nowSeconds: number): Shape[] {
  const key = secret.toLowerCase();
  const exp = nowSeconds + 3600;
  const sign = (payload: string | object | Buffer, header: string | object | Buffer = H) =>
    rawToken(header, payload, key);
  const claims = (extra: string) =>
    `{"sub":"alice","userId":7,"role":"REGULAR","exp":${exp}${extra}}`;
  const out: Shape[] = tokenMatrix(secret, nowSeconds * 1000).map((row) => ({
    name: `matrix: ${row.name}`,
    token: row.token,
  }));
  const add = (name: string, token: string) => out.push({ name, token });

  // Every claim the platform writes or reads, and the registered ones, with every JSON type.
  const values: Record<string, string> = {
    'a string': '"x"',
    'an empty string': '""',
    'the integer 5': '5',
    'the integer 0': '0',
    'the integer -1': '-1',
    'the decimal 5.5': '5.5',
    'the decimal 5.0': '5.0',
    'the exponent 5e0': '5e0',
    true: 'true',
    null: 'null',
    'an array': '["x"]',
    'an object': '{"x":1}',
  };
  const claimNames = [
    'sub',
    'userId',
    'email',
    'role',
    'googleId',
    'googleAvatar',
    'avatar',
    'iss',
    'jti',
    'aud',
    'nbf',
    'iat',
    'exp',
    'typ',
    'x-custom',
  ];
  for (const claim of claimNames) {
    for (const [kind, literal] of Object.entries(values)) {
      const payload = JSON.parse(claims('')) as Record<string, unknown>;
      delete payload[claim];
      const text = JSON.stringify(payload).replace(/}$/, `,"${claim}":${literal}}`);
      add(`claim ${claim} as ${kind}`, sign(text));
    }
  }
  for (const claim of ['sub', 'userId', 'role', 'exp']) {
    const payload = JSON.parse(claims('')) as Record<string, unknown>;
    delete payload[claim];
    add(`claim ${claim} missing`, sign(payload));
  }

  // NumericDate edges: exp, nbf and iat around now, the skew, and the limits of 64 bits.
  const dates: Record<string, string> = {
    'now + 1 h': `${nowSeconds + 3600}`,
    'now - 1 h': `${nowSeconds - 3600}`,
    'now - 29': `${nowSeconds - 29}`,
    'now - 30': `${nowSeconds - 30}`,
    'now - 29.5': `${nowSeconds - 30}.5`,
    'now + 29': `${nowSeconds + 29}`,
    'now + 31': `${nowSeconds + 31}`,
    'now + 1 h as a decimal': `${nowSeconds + 3600}.9`,
    'now + 1 h as an exponent': `${(nowSeconds + 3600) / 1e9}e9`,
    '118 years ahead (the platform issuer bug)': `${nowSeconds + 62_208_000 * 60}`,
    '2^53': '9007199254740992',
    'the largest int64': '9223372036854775807',
    'beyond int64': '9223372036854775808',
    '1e20 as an integer literal': '100000000000000000000',
    '1e20 as an exponent': '1e20',
    'a negative int64': '-9223372036854775808',
    'beyond negative int64': '-9223372036854775809',
  };
  for (const [kind, literal] of Object.entries(dates)) {
    add(`exp ${kind}`, sign(`{"sub":"alice","userId":7,"role":"REGULAR","exp":${literal}}`));
    add(`nbf ${kind}`, sign(claims(`,"nbf":${literal}`)));
    add(`iat ${kind}`, sign(claims(`,"iat":${literal}`)));
  }
  add('exp equal to nbf', sign(claims(`,"nbf":${exp}`)));
  add(
    'exp one second before nbf',
    sign(
      `{"sub":"alice","userId":7,"role":"REGULAR","exp":${nowSeconds + 20},"nbf":${nowSeconds + 21}}`,
    ),
  );
  add('iat equal to exp', sign(claims(`,"iat":${exp}`)));
  add('iat one second after exp', sign(claims(`,"iat":${exp + 1}`)));
  add('userId 2147483647', sign(claims('').replace('"userId":7', '"userId":2147483647')));
  add('userId 2147483648', sign(claims('').replace('"userId":7', '"userId":2147483648')));
  add('userId -2147483648', sign(claims('').replace('"userId":7', '"userId":-2147483648')));
  add(
    'userId beyond int64',
    sign(claims('').replace('"userId":7', '"userId":9223372036854775808')),
  );

  // Header parameters.
  const headers: Record<string, string> = {
    'alg HS256 and typ JWT': '{"alg":"HS256","typ":"JWT"}',
    'alg HS256 and typ other': '{"alg":"HS256","typ":"other"}',
    'alg hs256 in lower case': '{"alg":"hs256"}',
    'alg HS384': '{"alg":"HS384"}',
    'alg HS512': '{"alg":"HS512"}',
    'alg none': '{"alg":"none"}',
    'alg RS256': '{"alg":"RS256"}',
    'alg null': '{"alg":null}',
    'alg as a number': '{"alg":256}',
    'no alg': '{"typ":"JWT"}',
    'a kid': '{"alg":"HS256","kid":"k1"}',
    'a numeric kid': '{"alg":"HS256","kid":5}',
    'a cty JWT': '{"alg":"HS256","cty":"JWT"}',
    'a cty text/plain': '{"alg":"HS256","cty":"text/plain"}',
    'an empty crit': '{"alg":"HS256","crit":[]}',
    'crit naming exp': '{"alg":"HS256","crit":["exp"],"exp":1}',
    'crit b64 with b64 false': '{"alg":"HS256","crit":["b64"],"b64":false}',
    'b64 false without crit': '{"alg":"HS256","b64":false}',
    'b64 true': '{"alg":"HS256","b64":true}',
    'zip DEF': '{"alg":"HS256","zip":"DEF"}',
    'a jku': '{"alg":"HS256","jku":"https://evil.example/jwks"}',
    'a jwk': '{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}',
    'an x5u': '{"alg":"HS256","x5u":"https://evil.example/x"}',
    'an enc (a JWE header)': '{"alg":"HS256","enc":"A128GCM"}',
    'an unknown parameter': '{"alg":"HS256","x-custom":1}',
    'a duplicated alg': '{"alg":"HS256","alg":"HS256"}',
    'a header that is an array': '["HS256"]',
    'a header with whitespace': ' { "alg" : "HS256" } ',
  };
  for (const [kind, header] of Object.entries(headers))
    add(`header: ${kind}`, sign(claims(''), header));

  // JSON the platform's parser might read more laxly (or more strictly) than JSON.parse.
  const base = claims('');
  const json: Record<string, string | Buffer> = {
    'a UTF-8 BOM before the payload': Buffer.concat([BOM, Buffer.from(base)]),
    'leading whitespace': ` \n${base}`,
    'trailing whitespace': `${base}\n `,
    'a trailing comma': base.replace(/}$/, ',}'),
    'single quotes': base.replaceAll('"', "'"),
    'unquoted names': base.replace(/"(\w+)":/g, '$1:'),
    'a comment': base.replace('{', '{/* c */'),
    'NaN as a value': claims(',"x":NaN'),
    'Infinity as a value': claims(',"x":Infinity'),
    'a leading zero in userId': base.replace('"userId":7', '"userId":07'),
    'a plus sign in userId': base.replace('"userId":7', '"userId":+7'),
    'a \\u-escaped claim name': base.replace('"sub"', '"\\u0073ub"'),
    'a \\u-escaped role value': base.replace('"REGULAR"', '"\\u0052EGULAR"'),
    'a duplicated sub': claims(',"sub":"mallory"'),
    'a duplicated member in a nested object': claims(',"x":{"a":1,"a":2}'),
    'a nested object claim': claims(',"x":{"a":[1,{"b":null}]}'),
    'two JSON values': `${base}{}`,
    'a raw control character in a string': base.replace('alice', 'al\u0001ice'),
    'a lone surrogate escape in sub': base.replace('alice', '\\ud800'),
    'an escaped NUL in sub': base.replace('alice', 'al\\u0000ice'),
    'Latin-1 bytes': Buffer.from(base.replace('alice', 'al\u00e9ice'), 'latin1'),
    'an overlong UTF-8 encoding': Buffer.concat([
      Buffer.from(base.slice(0, base.indexOf('alice'))),
      Buffer.from([0xc1, 0xa1]),
      Buffer.from(base.slice(base.indexOf('alice') + 1)),
    ]),
    'a deep nesting': claims(`,"x":${'['.repeat(200)}${']'.repeat(200)}`),
  };
  for (const [kind, payload] of Object.entries(json)) add(`json: ${kind}`, sign(payload));

  // base64url and compact-serialisation encodings.
  const good = sign(base);
  const [h, p, s] = good.split('.') as [string, string, string];
  const padded = (part: string) => part + '='.repeat((4 - (part.length % 4)) % 4);
  const std = (part: string) => part.replaceAll('-', '+').replaceAll('_', '/');
  const resign = (input: string) =>
    `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  add('encoding: padding on every segment', `${padded(h)}.${padded(p)}.${padded(s)}`);
  add('encoding: padding on the signature', `${h}.${p}.${padded(s)}`);
  add(
    'encoding: standard base64 characters in the payload',
    resign(`${h}.${std(Buffer.from(`${base} `).toString('base64url'))}`),
  );
  add('encoding: whitespace inside the token', `${h}. ${p}.${s}`);
  add('encoding: a trailing dot', `${good}.`);
  add('encoding: an empty payload segment', resign(`${h}.`));
  add('encoding: an empty signature', `${h}.${p}.`);
  add(
    'encoding: a non-canonical last character of the signature',
    `${h}.${p}.${s.slice(0, -1)}${String.fromCharCode(s.charCodeAt(s.length - 1) ^ 1)}`,
  );
  add('encoding: the signature of another key', rawToken(H, base, `${key}x`));
  add(
    'encoding: the signature keyed by the secret as given (not lower-cased)',
    rawToken(H, base, secret),
  );
  return out;
}
