import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from './config.js';

const root = '/src/agentauth';

describe('loadStackConfig', () => {
  it('uses the runtime defaults', () => {
    expect(loadStackConfig({}, root, '/elsewhere')).toEqual({
      repoRoot: root,
      gatewayHost: '127.0.0.1',
      gatewayPort: 8080,
      acsPort: 9096,
      agentServicePort: 3001,
      devModelPort: 4000,
      llmBaseUrl: 'http://127.0.0.1:4000/v1',
      dataDir: '/src/agentauth/.agentauth',
      webRoot: '/src/agentauth/packages/web/dist',
      authCache: false,
    });
  });

  it('reads every override, resolving relative paths against the working directory', () => {
    const config = loadStackConfig(
      {
        AGENTAUTH_GATEWAY_HOST: '0.0.0.0',
        AGENTAUTH_GATEWAY_PORT: '9090',
        AGENTAUTH_ACS_PORT: '9097',
        AGENTAUTH_AGENT_SERVICE_PORT: '3002',
        AGENTAUTH_DEV_MODEL_PORT: '4001',
        AGENTAUTH_DATA_DIR: 'state',
        AGENTAUTH_WEB_ROOT: '/srv/web',
        AGENTAUTH_AUTH_CACHE: 'true',
      },
      root,
      '/work',
    );
    expect(config).toMatchObject({
      gatewayHost: '0.0.0.0',
      gatewayPort: 9090,
      acsPort: 9097,
      agentServicePort: 3002,
      devModelPort: 4001,
      llmBaseUrl: 'http://127.0.0.1:4001/v1',
      dataDir: '/work/state',
      webRoot: '/srv/web',
      authCache: true,
    });
  });

  it('treats empty variables as unset', () => {
    const empty = {
      AGENTAUTH_GATEWAY_HOST: '',
      AGENTAUTH_GATEWAY_PORT: '',
      AGENTAUTH_ACS_PORT: '',
      AGENTAUTH_AGENT_SERVICE_PORT: '',
      AGENTAUTH_DEV_MODEL_PORT: '',
      AGENTAUTH_DATA_DIR: '',
      AGENTAUTH_WEB_ROOT: '',
      AGENTAUTH_AUTH_CACHE: '',
      LLM_BASE_URL: '',
    };
    expect(loadStackConfig(empty, root, '/elsewhere')).toEqual(
      loadStackConfig({}, root, '/elsewhere'),
    );
  });

  it('does not start the dev model server when an LLM provider is configured', () => {
    const config = loadStackConfig({ LLM_BASE_URL: 'https://llm.example/v1' }, root);
    expect(config.devModelPort).toBeUndefined();
    expect(config.llmBaseUrl).toBe('https://llm.example/v1');
  });

  it.each([
    [
      { AGENTAUTH_GATEWAY_PORT: 'eighty' },
      /^AGENTAUTH_GATEWAY_PORT must be a whole number between 1 and 65535\.$/,
    ],
    [{ AGENTAUTH_GATEWAY_PORT: '0' }, /^AGENTAUTH_GATEWAY_PORT must be a whole number between 1/],
    [
      { AGENTAUTH_ACS_PORT: '70000' },
      /^AGENTAUTH_ACS_PORT must be a whole number between 1 and 65535\.$/,
    ],
    [{ AGENTAUTH_GATEWAY_HOST: 'a b' }, /AGENTAUTH_GATEWAY_HOST/],
    [{ AGENTAUTH_AUTH_CACHE: 'yes' }, /AGENTAUTH_AUTH_CACHE must be "true" or "false"/],
    [{ LLM_BASE_URL: 'ftp://x' }, /LLM_BASE_URL must be an http\(s\) URL/],
    [{ AGENTAUTH_GATEWAY_PORT: '3001' }, /must be different ports/],
  ])('refuses %o in one sentence', (env, message) => {
    expect(() => loadStackConfig(env, root)).toThrow(StackConfigError);
    expect(() => loadStackConfig(env, root)).toThrow(message);
  });
});
