import {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MESSAGES,
  type AuthErrorCode,
  ERROR_CODE_HEADER,
  GATEWAY_ERROR_MESSAGES,
  IDENTITY_HEADER,
  IDENTITY_HEADERS,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';
import { FALLBACK_FORBIDDEN, FALLBACK_UNAUTHORIZED } from './gateway-answers.js';

/**
 * The nginx variable holding an identity header from the authorize answer.
 * @example identityVariable('x-user-id') // 'agentauth_x_user_id'
 */
export function identityVariable(header: string): string {
  return `agentauth_${nginxName(header)}`;
}

/**
 * The `$upstream_http_…` variable nginx exposes for a response header.
 * @example upstreamHeaderVariable('x-user-id') // 'upstream_http_x_user_id'
 */
export function upstreamHeaderVariable(header: string): string {
  return `upstream_http_${nginxName(header)}`;
}

function nginxName(header: string): string {
  return header.toLowerCase().replaceAll('-', '_');
}

/** Config text generated from auth-core's constants, so header names and codes cannot drift. */
export function authDirectives() {
  const lines = (f: (h: string) => string) => IDENTITY_HEADERS.map(f).join('\n');
  return {
    identityCapture: lines(
      (h) => `auth_request_set $${identityVariable(h)} $${upstreamHeaderVariable(h)};`,
    ),
    errorCodeCapture: `auth_request_set $agentauth_error_code $${upstreamHeaderVariable(ERROR_CODE_HEADER)};`,
    identityMaps: lines(
      (h) =>
        `map $${identityVariable(h)} $${identityVariable(h)}_forwarded {\n    ""      " ";\n    default $${identityVariable(h)};\n}`,
    ),
    identityForward: lines((h) => `proxy_set_header ${h} $${identityVariable(h)}_forwarded;`),
    identityClear: lines((h) => `proxy_set_header ${h} "";`),
    userIdVariable: `$${identityVariable(IDENTITY_HEADER.uid)}`,
    denyMaps: denyMaps(),
  };
}

// A denial carries no body through auth_request, but its headers say which code it is: a 401's
// WWW-Authenticate challenge is distinct for every code, and every refusal names its code in
// ERROR_CODE_HEADER; so the gateway answers with the code and message the service would have.
// Only the auth core's codes of that status are mapped (anything else is the fallback), so no
// text of the answer reaches the client. Anchored regexes rather than plain keys: long plain keys
// would need a bigger map_hash_bucket_size, which an http-only include cannot set without
// clashing with the host's nginx.conf.
function denyMaps(): string {
  const ofStatus = (status: number) => AUTH_ERROR_CODES.filter((c) => statusForCode(c) === status);
  const map = (
    source: string,
    target: string,
    codes: readonly AuthErrorCode[],
    key: (code: AuthErrorCode) => string,
    value: (code: AuthErrorCode) => string,
    fallback: string,
  ) =>
    [
      `map $${source} $${target} {`,
      ...codes.map((code) => `    ${nginxString(exactRegex(key(code)))} ${value(code)};`),
      `    default ${fallback};`,
      '}',
    ].join('\n');
  const challenge = (code: AuthErrorCode) => wwwAuthenticate(code) as string;
  const message = (code: AuthErrorCode) => jsonSafeValue(AUTH_ERROR_MESSAGES[code]);
  const unauthorized = ofStatus(401);
  const forbidden = ofStatus(403);
  return [
    map(
      'agentauth_www_authenticate',
      'agentauth_unauthorized_code',
      unauthorized,
      challenge,
      (code) => code,
      nginxString(FALLBACK_UNAUTHORIZED),
    ),
    map(
      'agentauth_www_authenticate',
      'agentauth_unauthorized_message',
      unauthorized,
      challenge,
      message,
      jsonSafeValue(GATEWAY_ERROR_MESSAGES[FALLBACK_UNAUTHORIZED]),
    ),
    map(
      'agentauth_error_code',
      'agentauth_forbidden_code',
      forbidden,
      (code) => code,
      (code) => code,
      nginxString(FALLBACK_FORBIDDEN),
    ),
    map(
      'agentauth_error_code',
      'agentauth_forbidden_message',
      forbidden,
      (code) => code,
      message,
      jsonSafeValue(GATEWAY_ERROR_MESSAGES[FALLBACK_FORBIDDEN]),
    ),
  ].join('\n\n');
}

/** An nginx map regex matching exactly `text`. */
function exactRegex(text: string): string {
  return `~^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
}

/** A double-quoted nginx string (nginx unescapes `\\` and `\"`). */
function nginxString(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`Cannot place ${JSON.stringify(value)} in nginx.`);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A map value that is also a valid JSON string body: no variables, quotes or escapes. */
function jsonSafeValue(value: string): string {
  if (/[$"\\\n\r]/.test(value)) throw new Error(`Cannot place ${JSON.stringify(value)} in JSON.`);
  return nginxString(value);
}
