import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

describe('readConfig', () => {
  it('has the documented defaults', () => {
    expect(readConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      tokenDelayMs: 15,
      apiKey: undefined,
    });
    expect(
      readConfig({ PORT: '', HOST: '', DEV_MODEL_DELAY_MS: '', DEV_MODEL_API_KEY: '' }),
    ).toEqual(readConfig({}));
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        PORT: '0',
        HOST: '0.0.0.0',
        LOG_LEVEL: 'warn',
        DEV_MODEL_DELAY_MS: '0',
        DEV_MODEL_API_KEY: 'k',
      }),
    ).toEqual({ port: 0, host: '0.0.0.0', logLevel: 'warn', tokenDelayMs: 0, apiKey: 'k' });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT must be a whole number between 0 and 65535\.$/],
    [{ PORT: '70000' }, /^PORT must be a whole number between 0 and 65535\.$/],
    [
      { DEV_MODEL_DELAY_MS: '-1' },
      /^DEV_MODEL_DELAY_MS must be a whole number of milliseconds between 0 and 10000\.$/,
    ],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  ])('refuses %j with one sentence naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
