import {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MESSAGES,
  type AuthErrorCode,
  GATEWAY_ERROR_MESSAGES,
  IDENTITY_HEADER,
  IDENTITY_HEADERS,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';
import { FALLBACK_UNAUTHORIZED } from './gateway-answers.js';

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

// A 401 carries no body through auth_request, but its WWW-Authenticate challenge is distinct for
// every code, so the gateway can answer with the same code and message the service would have.
// Anchored regexes rather than plain keys: long plain keys would need a bigger map_hash_bucket_size,
// which an http-only include cannot set without clashing with the host's nginx.conf.
function denyMaps(): string {
  const unauthorized = AUTH_ERROR_CODES.filter((code) => statusForCode(code) === 401);
  const challenge = (code: AuthErrorCode) => exactRegex(wwwAuthenticate(code) as string);
  const entries = (value: (code: AuthErrorCode) => string) =>
    unauthorized.map((code) => `    ${nginxString(challenge(code))} ${value(code)};`).join('\n');
  return [
    'map $agentauth_www_authenticate $agentauth_unauthorized_code {',
    entries((code) => code),
    `    default ${nginxString(FALLBACK_UNAUTHORIZED)};`,
    '}',
    '',
    'map $agentauth_www_authenticate $agentauth_unauthorized_message {',
    entries((code) => jsonSafeValue(AUTH_ERROR_MESSAGES[code])),
    `    default ${jsonSafeValue(GATEWAY_ERROR_MESSAGES[FALLBACK_UNAUTHORIZED])};`,
    '}',
  ].join('\n');
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
