import { describe, expect, it } from 'vitest';
import { retryWhen } from './retry-when.js';

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
