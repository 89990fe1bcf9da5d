import { describe, expect, it } from 'vitest';
import {
  classifyProviderError,
  PROVIDER_AUTH_MESSAGE,
  retryAfterOf,
  sanitizeProviderMessage,
} from './provider-error.js';

const NOW = Date.UTC(2026, 11, 1, 10, 0, 0);
const litellmError = (message: string, type = '', code: string | number = '') => ({
  error: { message, type, param: null, code },
});

describe('classifyProviderError', () => {
  it.each([
    {
      name: '401 from the provider → operator code, nothing of the provider in the message',
      status: 401,
      body: litellmError(
        'Authentication Error, Invalid proxy server token passed. sk-live-abcdef',
        'auth_error',
      ),
      code: 'ERR_LLM_PROVIDER_AUTH',
      message: PROVIDER_AUTH_MESSAGE,
      detail: undefined,
    },
    {
      name: '403 → operator code',
      status: 403,
      body: litellmError('key not allowed to access model'),
      code: 'ERR_LLM_PROVIDER_AUTH',
      message: PROVIDER_AUTH_MESSAGE,
      detail: undefined,
    },
    {
      name: '429 with retry-after → rate-limited with the provider retry time',
      status: 429,
      headers: { 'retry-after': '7' },
      body: litellmError('litellm.RateLimitError: rpm limit reached for model group dev-model'),
      code: 'ERR_RATE_LIMITED',
      message: 'The LLM provider is rate-limiting requests; try again in 7 s.',
      retryAfterMs: 7000,
    },
    {
      name: 'a LiteLLM budget refusal (400 budget_exceeded) → budget exceeded',
      status: 400,
      body: litellmError(
        'Budget has been exceeded! Current cost: 1.2, Max budget: 1.0',
        'budget_exceeded',
        '400',
      ),
      code: 'ERR_BUDGET_EXCEEDED',
      message: 'The LLM provider refused the request: the spending budget is used up.',
    },
    {
      name: '404 model_not_found → unknown model',
      status: 404,
      body: litellmError(
        'The model `gpt-9` does not exist.',
        'invalid_request_error',
        'model_not_found',
      ),
      code: 'ERR_MODEL_UNKNOWN',
      message: 'The LLM provider does not serve `gpt-9`.',
    },
    {
      name: "LiteLLM's 400 Invalid model name → unknown model",
      status: 400,
      body: litellmError(
        'litellm.BadRequestError: Invalid model name passed in model=gpt-9. Call `/v1/models` to view available models for your key.',
      ),
      code: 'ERR_MODEL_UNKNOWN',
      message: 'The LLM provider does not serve `gpt-9`.',
    },
    {
      name: '500 with LiteLLM internals → unavailable, internals only in the detail',
      status: 500,
      body: litellmError(
        'litellm.InternalServerError: Connection error. Received Model Group=dev-model Available Model Group Fallbacks=None No fallback was attempted',
      ),
      code: 'ERR_LLM_UNAVAILABLE',
      message: 'The LLM provider failed (500); try again later.',
    },
  ])('$name', (row) => {
    const error = classifyProviderError({
      status: row.status,
      headers: new Headers(row.headers ?? {}),
      body: row.body,
      model: 'gpt-9',
      apiKey: 'sk-live-abcdef',
      now: NOW,
    });
    expect(error.code).toBe(row.code);
    expect(error.message).toBe(row.message);
    expect(error.message).not.toMatch(/litellm|sk-live/i);
    if ('retryAfterMs' in row) expect(error.retryAfterMs).toBe(row.retryAfterMs);
    if ('detail' in row) expect(error.detail).toBe(row.detail);
    else
      expect(error.detail).toBe(sanitizeProviderMessage(row.body.error.message, 'sk-live-abcdef'));
  });
});

describe('retryAfterOf', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
    [{ 'retry-after': new Date(NOW + 12_000).toUTCString() }, 12_000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s ms', (headers, ms) => {
    expect(retryAfterOf(new Headers(headers), NOW)).toBe(ms);
  });
});

describe('sanitizeProviderMessage', () => {
  it('redacts the key and bearer-looking secrets, strips control characters, bounds the length', () => {
    expect(sanitizeProviderMessage('bad key my-key-123 used', 'my-key-123')).toBe(
      'bad key [REDACTED] used',
    );
    expect(sanitizeProviderMessage('got sk-abcdefgh and Bearer xyz.abc')).toBe(
      'got [REDACTED] and Bearer [REDACTED]',
    );
    expect(sanitizeProviderMessage('line\n\u001b[31mred\u0007')).toBe('line [31mred');
    expect(sanitizeProviderMessage('x'.repeat(500))).toHaveLength(200);
  });
});
