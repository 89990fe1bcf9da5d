import { describe, expect, it } from 'vitest';
import { Agent, CreateAgentRequest } from './agent.js';
import { ApiError, apiError } from './api-error.js';
import { formatZodError } from './format-zod-error.js';
import { DEFAULT_SETTINGS } from './settings.js';

describe('CreateAgentRequest', () => {
  it('accepts a name and a model, trimming both', () => {
    expect(CreateAgentRequest.parse({ name: ' helper ', modelType: 'dev-model' })).toEqual({
      name: 'helper',
      modelType: 'dev-model',
    });
  });

  it('accepts partial settings', () => {
    const parsed = CreateAgentRequest.parse({
      name: 'a',
      modelType: 'm',
      settings: { maxSteps: 3 },
    });
    expect(parsed.settings).toEqual({ maxSteps: 3 });
  });

  it.each([
    [{ modelType: 'm' }, 'name must be a string.'],
    [{ name: '   ', modelType: 'm' }, 'name must not be empty.'],
    [{ name: 'x'.repeat(101), modelType: 'm' }, 'name must be at most 100 characters.'],
    [{ name: 'a' }, 'modelType must be a string.'],
    [{ name: 'a', modelType: 'm', ownerUid: 1 }, 'Unknown field: ownerUid.'],
    [{ name: 'a', modelType: 'm', settings: { maxSteps: 99 } }, 'maxSteps must be at most 50.'],
    [{ name: 'a', modelType: 'm', settings: { x: 1 } }, 'Unknown field in settings: x.'],
  ])('refuses %j', (input, message) => {
    const result = CreateAgentRequest.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(formatZodError(result.error)).toBe(message);
  });
});

describe('Agent', () => {
  it('parses what the service returns', () => {
    const agent = {
      id: crypto.randomUUID(),
      name: 'helper',
      modelType: 'dev-model',
      ownerUid: 7,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      settings: DEFAULT_SETTINGS,
    };
    expect(Agent.parse(agent)).toEqual(agent);
    expect(Agent.safeParse({ ...agent, id: '1' }).success).toBe(false);
  });
});

describe('ApiError', () => {
  it('parses the service errors and the auth core failures alike', () => {
    expect(ApiError.parse(apiError('ERR_NOT_FOUND', 'No agent.'))).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'No agent.' },
    });
    expect(
      ApiError.safeParse({ error: { code: 'ERR_TOKEN_EXPIRED', message: 'expired' } }).success,
    ).toBe(true);
  });
});
