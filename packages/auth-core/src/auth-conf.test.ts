import { describe, expect, it } from 'vitest';
import { AuthConfSyntaxError, readAuthConf } from './auth-conf.js';

describe('readAuthConf', () => {
  it('reads nested objects, dotted keys, comments and both separators', () => {
    const text = `
      # the platform's file
      auth {
        jwt {
          exp-in-days = 30 // days
          "256-bit-secret": "from-file"
        }
      }
      auth.jwt.other = plain value, list = [1, "a]", [2]]
    `;
    const values = readAuthConf(text, {});
    expect(values.get('auth.jwt.256-bit-secret')).toBe('from-file');
    expect(values.get('auth.jwt.exp-in-days')).toBe('30');
    expect(values.get('auth.jwt.other')).toBe('plain value');
  });

  it('lets a later ${?VAR} override an earlier value only when VAR is set', () => {
    const text = 'auth.jwt { 256-bit-secret = "a"\n 256-bit-secret = ${?AUTH_JWT_SECRET} }';
    expect(readAuthConf(text, {}).get('auth.jwt.256-bit-secret')).toBe('a');
    expect(readAuthConf(text, { AUTH_JWT_SECRET: 'b' }).get('auth.jwt.256-bit-secret')).toBe('b');
  });

  it.each([
    ['an unclosed object', 'auth { jwt {'],
    ['an unterminated string', 'a = "abc'],
    ['a required substitution without value', 'a = ${MISSING}'],
    ['a stray closing brace', '}'],
  ])('refuses %s with the line number', (_name, text) => {
    expect(() => readAuthConf(text, {})).toThrow(AuthConfSyntaxError);
    expect(() => readAuthConf(text, {})).toThrow(/^auth\.conf line \d+: /);
  });
});
