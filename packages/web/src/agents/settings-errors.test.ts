import { DEFAULT_SETTINGS } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { fieldOfServerMessage, settingsErrors } from './settings-errors.js';

const valid = { ...DEFAULT_SETTINGS, tools: [...DEFAULT_SETTINGS.tools] };

describe('settingsErrors', () => {
  it('is empty for valid settings', () => {
    expect(settingsErrors(valid)).toEqual({});
  });

  it('gives every invalid field its own sentence, naming the field as the form does', () => {
    expect(
      settingsErrors({
        ...valid,
        maxSteps: 2.5,
        temperature: Number.NaN,
        systemPrompt: 'x'.repeat(8001),
      }),
    ).toEqual({
      maxSteps: 'Max steps must be a whole number from 1 to 50.',
      temperature: 'Temperature must be a number from 0 to 2.',
      systemPrompt: 'The system prompt can be at most 8,000 characters long.',
    });
  });
});

describe('fieldOfServerMessage', () => {
  it('places a refusal that names a field on that field, in words', () => {
    expect(fieldOfServerMessage('maxSteps must be at most 50.')).toEqual({
      field: 'maxSteps',
      text: 'Max steps must be a whole number from 1 to 50.',
    });
  });

  it('leaves other refusals alone', () => {
    expect(fieldOfServerMessage('Send at least one setting to change.')).toBeNull();
  });
});
