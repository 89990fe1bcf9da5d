import type { Duplex } from 'node:stream';
import { API_ERROR_CODES, type ApiErrorCode, apiError } from '@agentauth/agent-api';

/**
 * Refuses an upgrade that passed authentication but cannot proceed (unknown path, bad id, unknown
 * agent, a per-user socket limit with its `Retry-After`) with a plain HTTP answer — never a 101 — and closes the socket.
 * @example rejectPlain(socket, 'ERR_NOT_FOUND', 'No agent has this id.')
 */
export function rejectPlain(
  socket: Duplex,
  code: ApiErrorCode,
  message: string,
  retryAfterSeconds?: number,
): void {
  const status = API_ERROR_CODES[code];
  const body = JSON.stringify(apiError(code, message));
  const reason = REASONS[status] ?? 'Error';
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    [
      `HTTP/1.1 ${status} ${reason}`,
      'Connection: close',
      'Cache-Control: no-store',
      ...(retryAfterSeconds === undefined ? [] : [`Retry-After: ${retryAfterSeconds}`]),
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
};
