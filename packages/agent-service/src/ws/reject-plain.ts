import type { Duplex } from 'node:stream';
import type { ApiErrorCode } from '@agentauth/agent-api';
import { refusal, writeUpgradeRefusal } from '@agentauth/auth-core';

/**
 * Refuses an upgrade that passed authentication but cannot proceed (unknown path, bad id, unknown
 * agent, a per-user socket cap with its `Retry-After`) with the auth core's refusal as a plain HTTP
 * answer — never a 101 — and closes the socket.
 * @example rejectPlain(socket, 'ERR_NOT_FOUND', 'No agent has this id.')
 */
export function rejectPlain(
  socket: Duplex,
  code: ApiErrorCode,
  message: string,
  retryAfterSeconds?: number,
): void {
  const answer = refusal(code, message);
  writeUpgradeRefusal(
    socket,
    retryAfterSeconds === undefined
      ? answer
      : { ...answer, headers: { ...answer.headers, 'retry-after': String(retryAfterSeconds) } },
  );
}
