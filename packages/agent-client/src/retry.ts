/** How often and how patiently idempotent requests are retried after network failures. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  readonly retries: number;
  /** Delay before the first retry, in ms; doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound of one delay, in ms. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 4000 };

/**
 * Methods that may be sent twice with the same effect, so a lost answer can be retried:
 * GET reads; PATCH settings sets absolute values (sending `{temperature: 1}` twice leaves
 * `temperature` at 1); DELETE leaves the agent gone however often it runs. POST (create, stop)
 * is never retried: a lost answer to a create may still have created the agent.
 */
export const IDEMPOTENT_METHODS = ['GET', 'PATCH', 'DELETE'] as const;
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Whether a failed request may be sent again.
 * @example isRetryableMethod('POST') // false
 */
export function isRetryableMethod(method: HttpMethod): boolean {
  return (IDEMPOTENT_METHODS as readonly string[]).includes(method);
}

/** Gateway statuses that mean "try again shortly" rather than "no". */
export const RETRYABLE_STATUSES: readonly number[] = [502, 503, 504];

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so many tabs
 * that lost the network together do not come back in lockstep.
 * @example backoffDelay(0, DEFAULT_RETRY, Math.random) // 150..300 ms
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (random() * step) / 2);
}
