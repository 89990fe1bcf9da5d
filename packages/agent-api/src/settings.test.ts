import { describe, expect, it } from 'vitest';
import { formatZodError } from './format-zod-error.js';
import { AgentSettings, DEFAULT_SETTINGS, UpdateSettingsRequest } from './settings.js';

const fail = (input: unknown) => {
  const result = UpdateSettingsRequest.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return formatZodError(result.error);
};

describe('AgentSettings', () => {
  it('accepts the defaults', () => {
    expect(AgentSettings.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('UpdateSettingsRequest', () => {
  it('accepts any subset of settings', () => {
    expect(UpdateSettingsRequest.parse({ temperature: 2 })).toEqual({ temperature: 2 });
    expect(UpdateSettingsRequest.parse({ maxSteps: 1, systemPrompt: '' })).toEqual({
      maxSteps: 1,
      systemPrompt: '',
    });
    expect(UpdateSettingsRequest.parse({ tools: [] })).toEqual({ tools: [] });
  });

  it.each([
    [{ maxSteps: 0 }, 'maxSteps must be at least 1.'],
    [{ maxSteps: 51 }, 'maxSteps must be at most 50.'],
    [{ maxSteps: 2.5 }, 'maxSteps must be a whole number.'],
    [{ maxSteps: '5' }, 'maxSteps must be a number.'],
    [{ temperature: -0.1 }, 'temperature must be at least 0.'],
    [{ temperature: 2.01 }, 'temperature must be at most 2.'],
    [{ systemPrompt: 'x'.repeat(8001) }, 'systemPrompt must be at most 8000 characters.'],
    [
      { tools: ['shell'] },
      'tools.0: Invalid option: expected one of "calculator"|"current_time"|"word_count".',
    ],
    [{ tools: ['calculator', 'calculator'] }, 'tools must not repeat a tool.'],
    [{ maxSteps: 3, admin: true }, 'Unknown field: admin.'],
    [{}, 'Send at least one setting to change.'],
  ])('refuses input #%# with a clear message', (input, message) => {
    expect(fail(input)).toBe(message);
  });

  it('refuses a body that is not an object', () => {
    expect(UpdateSettingsRequest.safeParse([]).success).toBe(false);
    expect(UpdateSettingsRequest.safeParse(null).success).toBe(false);
  });
});
