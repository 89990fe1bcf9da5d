import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

describe('readConfig', () => {
  it('has the documented defaults', () => {
    expect(readConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      tokenDelayMs: 15,
      apiKey: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      readConfig({ PORT: '0', HOST: '0.0.0.0', DEV_MODEL_DELAY_MS: '0', DEV_MODEL_API_KEY: 'k' }),
    ).toEqual({ port: 0, host: '0.0.0.0', tokenDelayMs: 0, apiKey: 'k' });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT is invalid/],
    [{ PORT: '70000' }, /^PORT is invalid/],
    [{ DEV_MODEL_DELAY_MS: '-1' }, /^DEV_MODEL_DELAY_MS is invalid/],
  ])('refuses %j with one sentence naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
