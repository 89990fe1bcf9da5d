import { LlmError } from './llm-client.js';

/** Shown when the provider refuses the service's own key: the user cannot fix it, an operator can. */
export const PROVIDER_AUTH_MESSAGE =
  'The LLM provider refused this service’s credentials; an operator must check its LLM_API_KEY.';

/**
 * Cleans a provider's message before anyone sees it: the API key and bearer-looking secrets
 * redacted, control characters and runs of blanks collapsed, at most 200 characters.
 * @example sanitizeProviderMessage('bad key sk-abc123', 'sk-abc123') // 'bad key [REDACTED]'
 */
export function sanitizeProviderMessage(message: string, apiKey?: string): string {
  let text = apiKey ? message.split(apiKey).join('[REDACTED]') : message;
  text = text
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{6,}/g, '[REDACTED]')
    .replace(/bearer\s+\S+/gi, 'Bearer [REDACTED]')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * The provider's retry time from `retry-after-ms`, or `retry-after` (seconds or an HTTP date), in
 * ms from `now`; undefined when it sent none.
 * @example retryAfterOf(new Headers({ 'retry-after': '7' }), Date.now()) // 7000
 */
export function retryAfterOf(headers: Headers, now: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ProviderErrorBody {
  readonly message: string;
  readonly type: string;
  readonly code: string;
}

/** The `{ error: { message, type, code } }` of an OpenAI-style error body (any part may be absent). */
export function providerErrorBody(json: unknown): ProviderErrorBody {
  const error =
    json && typeof json === 'object' && 'error' in json ? (json as { error: unknown }).error : json;
  const field = (name: string) => {
    const value =
      error && typeof error === 'object' ? (error as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  return {
    message: typeof error === 'string' ? error : field('message'),
    type: field('type'),
    code: field('code'),
  };
}

const isBudget = (b: ProviderErrorBody) =>
  /budget/i.test(`${b.type} ${b.code}`) || /budget.*exceed|exceed.*budget/i.test(b.message);
const isUnknownModel = (b: ProviderErrorBody) =>
  /model_not_found|invalid_model/i.test(`${b.type} ${b.code}`) ||
  /invalid model name|model .*(does not exist|not found)/i.test(b.message);

/**
 * Maps a provider's refusal to what the user can act on. The provider's own words go to `detail`
 * (for the log), never into the user's message, except the sanitised reason of a 4xx the user
 * caused.
 * @example throw classifyProviderError({ status: 429, headers, body, model: 'gpt-4o', now })
 */
export function classifyProviderError(answer: {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly model?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly now: number;
}): LlmError {
  const { status } = answer;
  const body = providerErrorBody(answer.body);
  const detail = sanitizeProviderMessage(body.message, answer.apiKey) || undefined;
  if (status === 401 || status === 403) {
    // The provider may echo part of the key: not even the detail is kept.
    return new LlmError(PROVIDER_AUTH_MESSAGE, status, { code: 'ERR_LLM_PROVIDER_AUTH' });
  }
  if (isBudget(body)) {
    return new LlmError(
      'The LLM provider refused the request: the spending budget is used up.',
      status,
      {
        code: 'ERR_BUDGET_EXCEEDED',
        retryAfterMs: retryAfterOf(answer.headers, answer.now),
        detail,
      },
    );
  }
  if (status === 429) {
    const retryAfterMs = retryAfterOf(answer.headers, answer.now);
    const when = retryAfterMs === undefined ? 'shortly' : `in ${Math.ceil(retryAfterMs / 1000)} s`;
    return new LlmError(`The LLM provider is rate-limiting requests; try again ${when}.`, status, {
      code: 'ERR_RATE_LIMITED',
      retryAfterMs,
      detail,
    });
  }
  if (status === 404 || isUnknownModel(body)) {
    const name = answer.model ? `\`${answer.model}\`` : 'this model';
    return new LlmError(`The LLM provider does not serve ${name}.`, status, {
      code: 'ERR_MODEL_UNKNOWN',
      detail,
    });
  }
  if (status >= 400 && status < 500) {
    return new LlmError(
      `The LLM provider refused the request (${status}${detail ? `: ${detail}` : ''}).`,
      status,
      { detail },
    );
  }
  return new LlmError(`The LLM provider failed (${status}); try again later.`, status, { detail });
}
