import { AuthError } from './errors.js';
import type { JsonMembers } from './json-members.js';
import { CLOCK_SKEW_SECONDS } from './token-format.js';

const INTEGER_LITERAL = /^-?(?:0|[1-9]\d*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMERIC_DATES = ['exp', 'nbf', 'iat'] as const;
// Read by the platform with getStringClaimValue: anything but a string or null fails there.
const STRING_CLAIMS = ['iss', 'jti', 'googleId'] as const;

/**
 * Refuses the header parameters that make jose4j read a token differently from jose (JS): `cty`
 * (`JWT` makes jose4j expect a nested token) and `b64` (jose4j honours `b64: false` even without
 * `crit`, signing the raw payload). The platform's issuer writes neither.
 * @example refuseHeaderJose4jReadsDifferently({ alg: 'HS256', cty: 'JWT' }) // throws ERR_TOKEN_MALFORMED
 */
export function refuseHeaderJose4jReadsDifferently(
  header: Readonly<Record<string, unknown>>,
): void {
  if (Object.hasOwn(header, 'cty') || Object.hasOwn(header, 'b64'))
    throw new AuthError('ERR_TOKEN_MALFORMED');
}

/**
 * Refuses the claim shapes that jose (JS) accepts but the platform's verifier refuses: jose4j
 * 0.9.6 as the platform's JwtConsumer configures it, then the platform's reading of the claims.
 * Call after jose verified the signature and the standard claims. Each rule is a row of the
 * token matrix (`@agentauth/auth-core/testing`) and of the differential test against jose4j.
 * @example refuseWhatJose4jRefuses(payload, members, Math.floor(Date.now() / 1000))
 */
export function refuseWhatJose4jRefuses(
  payload: Readonly<Record<string, unknown>>,
  members: JsonMembers,
  nowSeconds: number,
): void {
  // jose4j reads `7.0` or `7e0` as a Double, which the platform's `userId` cast refuses.
  const uidLiteral = members.topLevel.get('userId');
  if (uidLiteral !== undefined && !INTEGER_LITERAL.test(uidLiteral))
    throw new AuthError('ERR_TOKEN_CLAIMS');
  // An integer literal beyond 64 bits is a BigInteger in jose4j: "unreasonable for a NumericDate".
  for (const claim of NUMERIC_DATES) {
    const literal = members.topLevel.get(claim);
    if (literal !== undefined && INTEGER_LITERAL.test(literal)) {
      const value = BigInt(literal);
      if (value < INT64_MIN || value > INT64_MAX) throw new AuthError('ERR_TOKEN_CLAIMS');
    }
  }
  // jose4j keeps whole seconds (Number.longValue truncates), so a fractional exp inside the last
  // second of the skew has already expired there.
  const seconds = (claim: string) => {
    const value = payload[claim];
    return typeof value === 'number' ? Math.trunc(value) : undefined;
  };
  const exp = seconds('exp');
  const nbf = seconds('nbf');
  const iat = seconds('iat');
  if (exp !== undefined && exp <= nowSeconds - CLOCK_SKEW_SECONDS)
    throw new AuthError('ERR_TOKEN_EXPIRED');
  // JwtConsumer's consistency checks between the dates.
  if (exp !== undefined && nbf !== undefined && exp < nbf) throw new AuthError('ERR_TOKEN_CLAIMS');
  if (exp !== undefined && iat !== undefined && iat > exp) throw new AuthError('ERR_TOKEN_CLAIMS');
  for (const claim of STRING_CLAIMS) {
    const value = payload[claim];
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw new AuthError('ERR_TOKEN_CLAIMS');
  }
}
