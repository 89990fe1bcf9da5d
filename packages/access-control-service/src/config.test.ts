import { PUBLIC_DEFAULT_SECRET } from '@agentauth/auth-core';
import { TEST_SECRET } from '@agentauth/auth-core/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const secret = { AUTH_JWT_SECRET: TEST_SECRET };

describe('loadConfig', () => {
  it('applies the runtime-contract defaults', async () => {
    const config = await loadConfig(secret);
    expect(config).toMatchObject({
      port: 9096,
      host: '127.0.0.1',
      logLevel: 'info',
      tokenCacheSize: 10_000,
      bodyTimeoutMs: 2_000,
      secret: { source: 'env', insecure: false },
    });
  });

  it('reads every variable, treating empty ones as unset', async () => {
    const config = await loadConfig({
      ...secret,
      PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      TOKEN_CACHE_SIZE: '0',
      BODY_TIMEOUT_MS: '500',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      logLevel: 'debug',
      tokenCacheSize: 0,
      bodyTimeoutMs: 500,
    });
    expect((await loadConfig({ ...secret, PORT: '', LOG_LEVEL: '' })).port).toBe(9096);
  });

  it.each([
    [{ PORT: 'http' }, /^PORT must be a whole number between 0 and 65535\.$/],
    [{ PORT: '65536' }, /^PORT must/],
    [{ PORT: '-1' }, /^PORT must/],
    [{ PORT: '80.5' }, /^PORT must/],
    [{ HOST: 'a b' }, /^HOST must/],
    [
      { LOG_LEVEL: 'loud' },
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent\.$/,
    ],
    [{ TOKEN_CACHE_SIZE: 'many' }, /^TOKEN_CACHE_SIZE must/],
    [{ TOKEN_CACHE_SIZE: '99999999999' }, /^TOKEN_CACHE_SIZE must/],
    [{ BODY_TIMEOUT_MS: '5' }, /^BODY_TIMEOUT_MS must be a whole number between 100 and 60000\.$/],
  ])('refuses %o in one sentence naming the variable', async (env, message) => {
    const error = await loadConfig({ ...secret, ...env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{}, /AUTH_JWT_SECRET/],
    [{ AUTH_JWT_SECRET: '' }, /empty/],
    [{ AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET }, /public default/],
    [{ AUTH_JWT_SECRET: 'random' }, /"random"/],
    [{ AUTH_JWT_SECRET: 'too-short' }, /shorter than 32/],
    [{ ...secret, AGENTAUTH_INSECURE_DEV_SECRET: 'yes' }, /AGENTAUTH_INSECURE_DEV_SECRET/],
    [{ AUTH_CONF_PATH: '/nonexistent/auth.conf' }, /AUTH_CONF_PATH/],
  ])('applies the auth core secret rules to %o', async (env, message) => {
    const error = await loadConfig(env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TEST_SECRET);
  });

  it('lets a weak secret through only under the insecure switch, with a warning', async () => {
    const config = await loadConfig({
      AUTH_JWT_SECRET: 'too-short',
      AGENTAUTH_INSECURE_DEV_SECRET: 'true',
    });
    expect(config.secret.insecure).toBe(true);
    expect(config.secret.warning).toMatch(/^INSECURE/);
  });
});
