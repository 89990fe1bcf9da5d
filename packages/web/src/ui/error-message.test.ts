import { NetworkError, RateLimitedError } from '@agentauth/agent-client';
import { describe, expect, it } from 'vitest';
import { describeError } from './error-message.js';

describe('describeError', () => {
  it('says when a rate-limited request can be sent again, or to wait when the answer did not say', () => {
    const limited = new RateLimitedError({ status: 429, retryAt: Date.now() + 45_000 });
    expect(describeError(limited)).toMatch(
      /^Too many requests for now\. You can try again at .+\.$/,
    );
    expect(describeError(new RateLimitedError({ status: 429 }))).toBe(
      'Too many requests for now. Wait a moment, then try again.',
    );
  });

  it('says a used-up budget renews at midnight UTC when no time came with it', () => {
    const spent = new RateLimitedError({ status: 429, serverCode: 'ERR_BUDGET_EXCEEDED' });
    expect(describeError(spent)).toBe(
      'Your daily language-model budget is used up. It renews at midnight UTC.',
    );
  });

  it('keeps the client sentence of other errors and has a general one for anything else', () => {
    expect(describeError(new NetworkError())).toBe(new NetworkError().message);
    expect(describeError(new Error('stack-like internals'))).toBe(
      'Something went wrong. Try again.',
    );
  });
});
