import { PROTOCOL_ERROR_CODES } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { describeRunError, retryWhen } from './run-error.js';

describe('describeRunError', () => {
  it.each(PROTOCOL_ERROR_CODES)('words %s for people, without the code', (code) => {
    const text = describeRunError(code);
    expect(text.title).not.toMatch(/ERR_/);
    expect(text.detail).toMatch(/\.$/);
  });

  it('points a max-steps failure at the setting that fixes it', () => {
    expect(describeRunError('ERR_MAX_STEPS').fix).toEqual({
      field: 'maxSteps',
      label: 'Raise Max steps in Settings',
    });
  });

  it('ends a refusal that passes with time with when, or with its general wait', () => {
    const now = Date.now();
    expect(describeRunError('ERR_RATE_LIMITED').detail).toMatch(/Wait a moment, then try again\.$/);
    expect(describeRunError('ERR_RATE_LIMITED', now + 30_000, now).detail).toMatch(
      /a minute\. You can try again at \S+( \S+)?\.$/,
    );
    expect(describeRunError('ERR_BUDGET_EXCEEDED').detail).toMatch(/renews at midnight UTC\.$/);
    expect(describeRunError('ERR_MAX_STEPS', now + 30_000, now).detail).not.toMatch(/try again at/);
  });

  it('has a general sentence for a code it does not know', () => {
    expect(describeRunError('ERR_SOMETHING_NEW')).toEqual({
      title: 'The run failed',
      detail: 'Try again in a moment.',
    });
  });
});

describe('retryWhen', () => {
  const now = Date.UTC(2026, 11, 1, 14, 30, 0);
  const say = (retryAt: number | undefined) => retryWhen(retryAt, now, 'en-GB', 'UTC');

  it('says the moment a refusal passes, with seconds when it is close', () => {
    expect(say(now + 30_000)).toBe('You can try again at 14:30:30.');
    expect(say(now + 10 * 60_000)).toBe('You can try again at 14:40.');
  });

  it('adds the date when it is not today (a daily budget renewing at midnight UTC)', () => {
    expect(say(Date.UTC(2026, 11, 2))).toBe('You can try again at 2 Dec 2026, 00:00.');
  });

  it('says nothing when the service gave no time or the time has passed', () => {
    expect(say(undefined)).toBeUndefined();
    expect(say(now)).toBeUndefined();
    expect(say(now - 1)).toBeUndefined();
  });
});
