import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { duration, envVar, host, httpUrl, integer, logLevel, parseEnv, port } from './env.js';
import { envTable, envTableIn } from './env-table.js';

const Env = z.object({
  PORT: envVar(port('PORT'), { description: 'listen port' }, 9096),
  HOST: envVar(host('HOST'), { description: 'bind address' }, '127.0.0.1'),
  LOG_LEVEL: envVar(logLevel('LOG_LEVEL'), { description: 'log level' }, 'info'),
  SIZE: envVar(integer('SIZE', 0, 10), { description: 'a size' }),
  WAIT_MS: envVar(duration('WAIT_MS', 1000, 5000), { description: 'a wait' }, 2000),
  URL: envVar(httpUrl('URL', 'http://127.0.0.1/v1'), { description: 'an API', default: 'none' }),
});

describe('parseEnv', () => {
  it('applies defaults for unset and empty variables alike', () => {
    const expected = {
      PORT: 9096,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SIZE: undefined,
      WAIT_MS: 2000,
      URL: undefined,
    };
    expect(parseEnv(Env, {})).toEqual(expected);
    expect(
      parseEnv(Env, { PORT: '', HOST: '', LOG_LEVEL: '', SIZE: '', WAIT_MS: '', URL: '' }),
    ).toEqual(expected);
  });

  it('reads set values', () => {
    expect(
      parseEnv(Env, { PORT: '0', SIZE: '10', WAIT_MS: '1000', LOG_LEVEL: 'warn' }),
    ).toMatchObject({ PORT: 0, SIZE: 10, WAIT_MS: 1000, LOG_LEVEL: 'warn' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number between 0 and 65535.'],
    [{ PORT: '65536' }, 'PORT must be a whole number between 0 and 65535.'],
    [{ PORT: '-1' }, 'PORT must be a whole number between 0 and 65535.'],
    [{ HOST: 'a b' }, 'HOST must be a host name or an IP address.'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.',
    ],
    [{ SIZE: '1.5' }, 'SIZE must be a whole number between 0 and 10.'],
    [{ WAIT_MS: '10' }, 'WAIT_MS must be a whole number of milliseconds between 1000 and 5000.'],
    [{ URL: 'ftp://x' }, 'URL must be an http(s) URL such as http://127.0.0.1/v1.'],
  ])('refuses %o with one sentence naming the variable', (env, message) => {
    expect(() => parseEnv(Env, env)).toThrow(ConfigError);
    expect(() => parseEnv(Env, env)).toThrow(message);
  });
});

describe('envTable', () => {
  it('renders one row per variable with its default and meaning', () => {
    expect(envTable(Env).split('\n')).toEqual([
      '| variable | default | meaning |',
      '|---|---|---|',
      '| `PORT` | `9096` | listen port |',
      '| `HOST` | `127.0.0.1` | bind address |',
      '| `LOG_LEVEL` | `info` | log level |',
      '| `SIZE` | unset | a size |',
      '| `WAIT_MS` | `2000` | a wait |',
      '| `URL` | `none` | an API |',
    ]);
  });

  it('finds a table between its markers, and nothing without them', () => {
    const doc = 'intro\n<!-- env:x -->\n| a |\n<!-- /env:x -->\nrest';
    expect(envTableIn(doc, 'x')).toBe('| a |');
    expect(envTableIn(doc, 'y')).toBeUndefined();
  });
});
