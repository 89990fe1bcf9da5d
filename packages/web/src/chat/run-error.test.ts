import { PROTOCOL_ERROR_CODES } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { describeRunError } from './run-error.js';

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
