import type { IncomingMessage } from 'node:http';
import type { AuthErrorCode } from '@agentauth/auth-core';

/** Largest body read for a `token` field: a token is at most 8 KiB, so this leaves headroom. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

/**
 * Longest wait for an announced body to complete. Well inside a gateway's own timeout for the
 * authorize call (nginx 5 s, Envoy's `extAuth.timeout`), so a stalled body gets a deny from this
 * service rather than a gateway error.
 */
export const DEFAULT_BODY_TIMEOUT_MS = 2_000;

/** A body that was present but could not be read; the decision turns it into a deny. */
export class UnreadableBody {
  constructor(
    readonly code: Extract<AuthErrorCode, 'ERR_TOKEN_MALFORMED' | 'ERR_TOKEN_TOO_LARGE'>,
  ) {}
}

/**
 * True when the request announces a body (gateways normally send none: Envoy by default, nginx
 * `auth_request` always). Checked before touching the stream so the hot path stays synchronous.
 * @example if (hasBody(req)) body = await readBody(req)
 */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a small JSON or form body for its `token` field. Returns the parsed value (JSON value, or
 * `{ token }` for a form), undefined for other media types, or an {@link UnreadableBody} for a
 * body that is too large, compressed, not UTF-8, does not parse or does not complete within
 * `timeoutMs`. Never rejects.
 * @example const body = await readBody(req) // { token: 'eyJ…' }
 */
export function readBody(
  req: IncomingMessage,
  limit: number = DEFAULT_BODY_LIMIT,
  timeoutMs: number = DEFAULT_BODY_TIMEOUT_MS,
): Promise<unknown> {
  const kind = mediaKind(req.headers['content-type']);
  const encoding = req.headers['content-encoding'];
  const announced = Number(req.headers['content-length'] ?? 0);
  if (kind === undefined) return Promise.resolve(undefined);
  // A body whose token we could not see (compressed, another charset) is refused, not skipped.
  if (kind === 'other-charset') return Promise.resolve(new UnreadableBody('ERR_TOKEN_MALFORMED'));
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return Promise.resolve(new UnreadableBody('ERR_TOKEN_MALFORMED'));
  }
  if (announced > limit) return Promise.resolve(new UnreadableBody('ERR_TOKEN_TOO_LARGE'));

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A body announced but never completed (e.g. a chunk cut short) is refused after timeoutMs.
    const timer = setTimeout(() => finish(new UnreadableBody('ERR_TOKEN_MALFORMED')), timeoutMs);
    const finish = (value: unknown) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Let Node discard the rest; the answer does not depend on it.
        req.resume();
        finish(new UnreadableBody('ERR_TOKEN_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(parse(kind, Buffer.concat(chunks, size)));
    const onError = () => finish(new UnreadableBody('ERR_TOKEN_MALFORMED'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onError);
  });
}

type MediaKind = 'json' | 'form';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

function mediaKind(contentType: string | undefined): MediaKind | 'other-charset' | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const kind: MediaKind | undefined =
    media === 'application/json'
      ? 'json'
      : media === 'application/x-www-form-urlencoded'
        ? 'form'
        : undefined;
  if (kind === undefined || semi < 0) return kind;
  const charset = CHARSET.exec(contentType)?.[1];
  return charset === undefined || charset.toLowerCase() === 'utf-8' ? kind : 'other-charset';
}

function parse(kind: MediaKind, bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return new UnreadableBody('ERR_TOKEN_MALFORMED');
  }
  if (kind === 'form') {
    const tokens = new URLSearchParams(text).getAll('token');
    if (tokens.length === 0) return {};
    // Several `token` fields are not one token string, so the auth core refuses them as malformed.
    return { token: tokens.length === 1 ? tokens[0] : tokens };
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the input (which may hold a token), so it is dropped here.
    return new UnreadableBody('ERR_TOKEN_MALFORMED');
  }
}
