// Browser-safe (no Node APIs): the web client imports this module to build the entry it sends.
import { base64UrlOfText, textOfBase64Url } from './base64url.js';

/** The domain in the bearer subprotocol entry; ours, so the entry cannot collide with another's. */
export const BEARER_PROTOCOL_DOMAIN = 'agentauth.dev';

/**
 * The prefix of the `Sec-WebSocket-Protocol` entry that carries a token, after the Kubernetes API
 * server's browser convention (`base64url.bearer.authorization.k8s.io.<token>`).
 */
export const BEARER_PROTOCOL_PREFIX = `base64url.bearer.authorization.${BEARER_PROTOCOL_DOMAIN}.`;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What a `Sec-WebSocket-Protocol` header offers: the real protocols, and any bearer tokens. */
export interface OfferedProtocols {
  /** Every offered entry that is not a bearer entry, in order. */
  readonly protocols: string[];
  /** The decoded token of every bearer entry; `undefined` for an entry that does not decode. */
  readonly tokens: Array<string | undefined>;
}

/**
 * The subprotocol entry that carries `token` (base64url of its UTF-8 bytes, no padding).
 * @example new WebSocket(url, ['agentauth.react.v1', bearerProtocol(token)])
 */
export function bearerProtocol(token: string): string {
  return `${BEARER_PROTOCOL_PREFIX}${base64UrlOfText(token)}`;
}

/**
 * Splits `Sec-WebSocket-Protocol` header value(s) into real protocols and bearer tokens.
 * @example readOfferedProtocols(`agentauth.react.v1, ${bearerProtocol(t)}`) // { protocols: ['agentauth.react.v1'], tokens: [t] }
 */
export function readOfferedProtocols(
  header: string | readonly string[] | undefined,
): OfferedProtocols {
  const protocols: string[] = [];
  const tokens: Array<string | undefined> = [];
  for (const line of typeof header === 'string' ? [header] : (header ?? [])) {
    for (const raw of line.split(',')) {
      const entry = raw.trim();
      if (entry === '') continue;
      if (isBearerEntry(entry))
        tokens.push(decodeEntry(entry.slice(BEARER_PROTOCOL_PREFIX.length)));
      else protocols.push(entry);
    }
  }
  return { protocols, tokens };
}

/**
 * The header value with every bearer entry's token replaced by `replacement`, safe to log.
 * @example redactProtocolHeader(`v1, ${bearerProtocol(t)}`, '[REDACTED]') // 'v1, base64url.bearer.authorization.agentauth.dev.[REDACTED]'
 */
export function redactProtocolHeader(header: string, replacement: string): string {
  return header
    .split(',')
    .map((raw) => {
      const entry = raw.trim();
      return isBearerEntry(entry)
        ? `${raw.slice(0, raw.indexOf(entry))}${BEARER_PROTOCOL_PREFIX}${replacement}`
        : raw;
    })
    .join(',');
}

// The prefix is compared case-insensitively, so a case variant is a (refused or read) token
// source and redacted, never a "protocol" echoed back or logged.
function isBearerEntry(entry: string): boolean {
  return entry.slice(0, BEARER_PROTOCOL_PREFIX.length).toLowerCase() === BEARER_PROTOCOL_PREFIX;
}

function decodeEntry(encoded: string): string | undefined {
  if (!BASE64URL.test(encoded) || encoded.length % 4 === 1) return undefined;
  try {
    const token = textOfBase64Url(encoded);
    // Only canonical base64url: re-encoding must give the same text, so one token has one entry.
    return bearerProtocol(token) === `${BEARER_PROTOCOL_PREFIX}${encoded}` ? token : undefined;
  } catch {
    return undefined;
  }
}
