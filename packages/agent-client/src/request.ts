import { ApiError } from '@agentauth/agent-api';
import type { z } from 'zod';
import {
  type AgentClientError,
  BadRequestError,
  ForbiddenError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  ORIGIN_REFUSED,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
} from './errors.js';
import {
  backoffDelay,
  type HttpMethod,
  isRetryableMethod,
  RETRYABLE_STATUSES,
  type RetryPolicy,
} from './retry.js';
import type { TokenStore } from './token-store.js';

export interface RequestDeps {
  /** Origin (and optional path prefix) of the gateway, e.g. `location.origin`. */
  readonly baseUrl: string;
  readonly tokens: TokenStore;
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout in ms; a timed-out attempt counts as a network failure. */
  readonly timeoutMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export interface RequestOptions<T> {
  readonly body?: unknown;
  /** Schema of a 2xx body; `undefined` when the body is ignored (e.g. 204). */
  readonly schema?: z.ZodType<T>;
  /** What the body is, for the error message when it does not match. */
  readonly what?: string;
  readonly signal?: AbortSignal | undefined;
  /** A 404 on a retried DELETE means an earlier attempt already deleted it. */
  readonly notFoundIsDoneOnRetry?: boolean;
}

/**
 * Sends one agent-service request. This is the only function that attaches the REST token:
 * it reads it from the token store for every attempt and sends `Authorization: Bearer <token>`.
 * No token stored → `SessionExpiredError('missing')` without touching the network.
 * @example await request(deps, 'GET', agentPaths.list(), { schema: AgentListResponse })
 */
export async function request<T>(
  deps: RequestDeps,
  method: HttpMethod,
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  const url = new URL(path, deps.baseUrl).toString();
  const retries = isRetryableMethod(method) ? deps.retry.retries : 0;
  for (let attempt = 0; ; attempt++) {
    const token = deps.tokens.get();
    if (token === null) throw new SessionExpiredError('missing');
    let response: Response;
    try {
      response = await send(deps, method, url, token, options);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (attempt >= retries) throw new NetworkError(error);
      await deps.sleep(backoffDelay(attempt, deps.retry, deps.random), options.signal);
      continue;
    }
    if (response.ok) return readBody(response, options);
    if (attempt > 0 && response.status === 404 && options.notFoundIsDoneOnRetry) {
      return undefined as T;
    }
    if (RETRYABLE_STATUSES.includes(response.status) && attempt < retries) {
      await response.body?.cancel();
      await deps.sleep(backoffDelay(attempt, deps.retry, deps.random), options.signal);
      continue;
    }
    throw await errorFor(response);
  }
}

function send(
  deps: RequestDeps,
  method: HttpMethod,
  url: string,
  token: string,
  options: RequestOptions<unknown>,
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: `Bearer ${token}`,
  };
  const init: RequestInit = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  init.signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  return deps.fetch(url, init);
}

async function readBody<T>(response: Response, options: RequestOptions<T>): Promise<T> {
  if (options.schema === undefined) {
    await response.body?.cancel();
    return undefined as T;
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new InvalidResponseError(options.what ?? 'response', error);
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) throw new InvalidResponseError(options.what ?? 'response', parsed.error);
  return parsed.data;
}

/**
 * Maps a non-2xx answer to a typed error, reading the `{ error: { code, message } }` body when
 * there is one (the gateway's own 401/403/5xx bodies may differ, so the status decides).
 */
async function errorFor(response: Response): Promise<AgentClientError> {
  const body = await response.json().catch(() => undefined);
  const parsed = ApiError.safeParse(body);
  const serverCode = parsed.success ? parsed.data.error.code : undefined;
  const message = parsed.success ? parsed.data.error.message : undefined;
  const details = { status: response.status, ...(serverCode ? { serverCode } : {}) };
  const status = response.status;
  if (status === 401) return new SessionExpiredError('rejected', details);
  if (status === 403 && serverCode !== ORIGIN_REFUSED) return new ForbiddenError(details);
  if (status === 404) return new NotFoundError(message ?? 'This agent no longer exists.', details);
  if (status === 429) {
    const retryAt = retryAtOf(response.headers.get('retry-after'), Date.now());
    return new RateLimitedError({ ...details, ...(retryAt === undefined ? {} : { retryAt }) });
  }
  if (status >= 400 && status < 500) {
    return new BadRequestError(message ?? `The request was refused (${status}).`, details);
  }
  return new ServerError(
    message ?? `The agent service failed (${status}). Try again in a moment.`,
    details,
  );
}

/**
 * When a `Retry-After` says to try again, in ms since the epoch: delay-seconds or an HTTP-date
 * (RFC 9110); undefined when absent or unreadable.
 * @example retryAtOf('30', Date.now()) // now + 30 s
 */
function retryAtOf(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return now + Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) || !/[A-Za-z]/.test(text) ? undefined : date;
}
