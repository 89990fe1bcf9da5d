import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  ERROR_STATUS,
  type ErrorCode,
  fixedMessage,
  type GatewayErrorCode,
} from './error-codes.js';
import { AUTH_ERROR_MESSAGES, type AuthErrorCode } from './errors.js';
import { wwwAuthenticate } from './http-status.js';

/**
 * The response header every refusal names its code in, beside the body: a gateway that keeps the
 * authorize answer's headers but not its body (nginx `auth_request`) answers with the same code.
 */
export const ERROR_CODE_HEADER = 'x-agentauth-error';

/** A complete "no": status, headers and the `{ error: { code, message } }` body, ready to write. */
export interface Refusal {
  readonly status: number;
  readonly code: ErrorCode;
  /**
   * Lower-case header names: `cache-control: no-store`, content type and length, the code
   * ({@link ERROR_CODE_HEADER}), any challenge.
   */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Refusals with their code's fixed sentence never vary, so each is built once (on first use). */
const FIXED = new Map<ErrorCode, Refusal>();

/**
 * Builds the one refusal shape every component answers with: the code's status, `no-store`, the
 * code in {@link ERROR_CODE_HEADER}, the RFC 6750 `WWW-Authenticate` challenge for a 401 auth
 * code, and a small JSON body that never echoes the request. Auth and gateway codes have a fixed
 * sentence, and their refusal is built once; the others bring their own.
 * @example refusal('ERR_TOKEN_EXPIRED'); refusal('ERR_NOT_FOUND', 'No agent has this id.')
 */
export function refusal(code: AuthErrorCode | GatewayErrorCode, message?: string): Refusal;
export function refusal(code: ErrorCode, message: string): Refusal;
export function refusal(code: ErrorCode, message?: string): Refusal {
  if (message === undefined) {
    const built = FIXED.get(code);
    if (built) return built;
  }
  const text = message ?? fixedMessage(code);
  if (text === undefined) throw new TypeError(`A refusal with ${code} needs a message.`);
  const body = Buffer.from(JSON.stringify({ error: { code, message: text } }));
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    [ERROR_CODE_HEADER]: code,
  };
  const challenge = Object.hasOwn(AUTH_ERROR_MESSAGES, code)
    ? wwwAuthenticate(code as AuthErrorCode)
    : undefined;
  if (challenge) headers['www-authenticate'] = challenge;
  const answer: Refusal = {
    status: ERROR_STATUS[code],
    code,
    headers: Object.freeze(headers),
    body,
  };
  if (message === undefined) FIXED.set(code, answer);
  return answer;
}

/**
 * Writes a refusal as the HTTP response (headers set earlier, such as `Vary` or `Allow`, stay).
 * @example sendRefusal(res, refusal('ERR_ROLE_FORBIDDEN'))
 */
export function sendRefusal(res: ServerResponse, answer: Refusal): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/**
 * Answers a WebSocket upgrade with a plain HTTP refusal — never a 101 — and closes the socket.
 * The reason phrase is Node's for the status.
 * @example writeUpgradeRefusal(socket, refusal('ERR_NOT_FOUND', 'No agent has this id.'))
 */
export function writeUpgradeRefusal(socket: Duplex, answer: Refusal): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}`,
    'connection: close',
    ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(
    Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), answer.body]),
    () => socket.destroy(),
  );
}
