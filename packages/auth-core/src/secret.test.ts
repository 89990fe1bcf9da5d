import { describe, expect, it } from 'vitest';
import { loadSecret, PUBLIC_DEFAULT_SECRET, SecretConfigError } from './secret.js';

const STRONG = 'Q7f2c9d1e8b4a6f3c2d1e0f9a8b7c6d5e4f3a2b1';
const conf = (value: string, extra = '') =>
  `auth {\n  jwt {\n    exp-in-days = 30\n    256-bit-secret = ${value}\n${extra}  }\n}\n`;
const files = (text: string) => ({ readFile: async () => text });

describe('loadSecret', () => {
  it('prefers AUTH_JWT_SECRET and lower-cases it', async () => {
    const secret = await loadSecret({ AUTH_JWT_SECRET: STRONG, AUTH_CONF_PATH: '/nope' });
    expect(new TextDecoder().decode(secret.key)).toBe(STRONG.toLowerCase());
    expect(secret).toMatchObject({ source: 'env', insecure: false, warning: undefined });
  });

  it('reads auth.jwt.256-bit-secret from the auth.conf at AUTH_CONF_PATH', async () => {
    const secret = await loadSecret(
      { AUTH_CONF_PATH: '/etc/auth.conf' },
      files(conf(`"${STRONG}"`)),
    );
    expect(new TextDecoder().decode(secret.key)).toBe(STRONG.toLowerCase());
    expect(secret.source).toBe('auth.conf');
  });

  it('applies the ${?AUTH_JWT_SECRET} override line of auth.conf', async () => {
    const text = conf(`"${PUBLIC_DEFAULT_SECRET}"`, '    256-bit-secret = ${?AUTH_JWT_SECRET}\n');
    await expect(loadSecret({ AUTH_CONF_PATH: '/x' }, files(text))).rejects.toThrow(
      /public default/,
    );
  });

  it('never exposes the key through JSON or string conversion', async () => {
    const secret = await loadSecret({ AUTH_JWT_SECRET: STRONG });
    expect(JSON.stringify(secret)).not.toContain(STRONG.toLowerCase().slice(0, 10));
    expect(String(Object.values(secret))).not.toContain(STRONG.toLowerCase().slice(0, 10));
  });

  const refused: Array<[string, Record<string, string>, string, RegExp]> = [
    ['no configuration at all', {}, '', /No JWT secret is configured: set AUTH_JWT_SECRET/],
    ['an empty AUTH_JWT_SECRET', { AUTH_JWT_SECRET: '' }, '', /is empty/],
    ['a blank AUTH_JWT_SECRET', { AUTH_JWT_SECRET: '   ' }, '', /is empty/],
    ['the public default', { AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET }, '', /public default/],
    [
      'the public default in capitals',
      { AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET.toUpperCase() },
      '',
      /public default/,
    ],
    ['random mode', { AUTH_JWT_SECRET: 'random' }, '', /"random"/],
    ['a 31-character secret', { AUTH_JWT_SECRET: 'a'.repeat(31) }, '', /shorter than 32/],
    [
      'the public default in auth.conf',
      { AUTH_CONF_PATH: '/c' },
      conf(`"${PUBLIC_DEFAULT_SECRET}"`),
      /public default/,
    ],
    ['random in auth.conf', { AUTH_CONF_PATH: '/c' }, conf('random'), /"random"/],
    [
      'auth.conf without the key',
      { AUTH_CONF_PATH: '/c' },
      'auth { jwt { exp-in-days = 30 } }',
      /does not set auth\.jwt\.256-bit-secret/,
    ],
    ['an auth.conf that does not parse', { AUTH_CONF_PATH: '/c' }, 'auth { jwt {', /is not valid/],
    [
      'a secret with a capital sigma (Java and JavaScript lower-case it differently)',
      { AUTH_JWT_SECRET: `${STRONG}ΣΑΣ` },
      '',
      /contains non-ASCII characters/,
    ],
    [
      'a secret with a dotted capital I (lower-cased by the JVM locale)',
      { AUTH_JWT_SECRET: `İ${STRONG}` },
      '',
      /AUTH_JWT_SECRET contains non-ASCII characters/,
    ],
    [
      'a non-ASCII secret in auth.conf',
      { AUTH_CONF_PATH: '/c' },
      conf(`"${STRONG}é"`),
      /auth\.jwt\.256-bit-secret in AUTH_CONF_PATH contains non-ASCII/,
    ],
    [
      'a non-ASCII secret even under the insecure switch',
      { AUTH_JWT_SECRET: `${STRONG}ß`, AGENTAUTH_INSECURE_DEV_SECRET: 'true' },
      '',
      /contains non-ASCII characters/,
    ],
    [
      'a bad insecure switch',
      { AUTH_JWT_SECRET: STRONG, AGENTAUTH_INSECURE_DEV_SECRET: 'yes' },
      '',
      /must be "true" or "false"/,
    ],
  ];

  it.each(refused)('refuses %s with one clear sentence', async (_name, env, text, message) => {
    const error = await loadSecret(env, files(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.trim().split(/(?<=\.)\s/)).toHaveLength(1);
    expect((error as Error).message).not.toContain(PUBLIC_DEFAULT_SECRET);
    expect((error as Error).message.toLowerCase()).not.toContain(STRONG.toLowerCase());
  });

  it('says when AUTH_CONF_PATH cannot be read', async () => {
    await expect(loadSecret({ AUTH_CONF_PATH: '/definitely/missing/auth.conf' })).rejects.toThrow(
      'AUTH_CONF_PATH points at /definitely/missing/auth.conf, which cannot be read.',
    );
  });

  it('lets weak secrets through only under the insecure switch, with a warning', async () => {
    const secret = await loadSecret({
      AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET,
      AGENTAUTH_INSECURE_DEV_SECRET: 'true',
    });
    expect(secret.insecure).toBe(true);
    expect(secret.warning).toMatch(/^INSECURE: /);
    const random = await loadSecret({
      AUTH_JWT_SECRET: 'random',
      AGENTAUTH_INSECURE_DEV_SECRET: '1',
    });
    expect(random).toMatchObject({ source: 'random', insecure: true });
    expect(random.key).toHaveLength(64);
    await expect(
      loadSecret({ AUTH_JWT_SECRET: '', AGENTAUTH_INSECURE_DEV_SECRET: 'true' }),
    ).rejects.toThrow(/is empty/);
  });
});
