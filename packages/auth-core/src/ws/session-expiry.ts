/** WebSocket close codes (private range 4000-4999) used when a session ends server-side. */
export const SESSION_CLOSE_CODE = {
  /** The token of the open socket expired; reconnect with a fresh token. */
  tokenExpired: 4401,
  /** The user is no longer allowed to use agents. */
  forbidden: 4403,
} as const;

// setTimeout's delay is a 32-bit signed int; longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onExpire` once the token's `exp` (seconds since the epoch) has passed; returns a
 * function that cancels it. Expired already → called on the next tick.
 * @example const cancel = onTokenExpiry(auth.exp, () => ws.close(SESSION_CLOSE_CODE.tokenExpired, 'token expired'))
 */
export function onTokenExpiry(
  exp: number,
  onExpire: () => void,
  clock: () => number = Date.now,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = exp * 1000 - clock();
    if (wait <= 0) {
      timer = setTimeout(onExpire, 0);
      return;
    }
    timer = setTimeout(wait > MAX_TIMER_MS ? arm : onExpire, Math.min(wait, MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}
