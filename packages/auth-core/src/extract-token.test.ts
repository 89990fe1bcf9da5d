import { describe, expect, it } from 'vitest';
import type { AuthErrorCode } from './errors.js';
import { extractToken, queryTokens, type TokenSources } from './extract-token.js';

const T = 'aaa.bbb.ccc';
const U = 'ddd.eee.fff';

const cases: Array<{ name: string; sources: TokenSources; token?: string; code?: AuthErrorCode }> =
  [
    { name: 'a query access-token', sources: { query: [T] }, token: T },
    { name: 'a Bearer header', sources: { authorization: `Bearer ${T}` }, token: T },
    { name: 'a lower-case bearer scheme', sources: { authorization: `bearer ${T}` }, token: T },
    { name: 'an upper-case BEARER scheme', sources: { authorization: `BEARER ${T}` }, token: T },
    { name: 'a JSON or form body token', sources: { body: { token: T } }, token: T },
    {
      name: 'the same token in query and header',
      sources: { query: [T], authorization: `Bearer ${T}` },
      token: T,
    },
    {
      name: 'the same token in all three places',
      sources: { query: [T], authorization: `Bearer ${T}`, body: { token: T } },
      token: T,
    },
    { name: 'nothing at all', sources: {}, code: 'ERR_TOKEN_MISSING' },
    {
      name: 'a Basic header only',
      sources: { authorization: 'Basic YWxpY2U6cHc=' },
      code: 'ERR_TOKEN_MISSING',
    },
    {
      name: 'a body without a token field',
      sources: { body: { name: 'x' } },
      code: 'ERR_TOKEN_MISSING',
    },
    {
      name: 'different tokens in query and header',
      sources: { query: [T], authorization: `Bearer ${U}` },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    {
      name: 'different tokens in header and body',
      sources: { authorization: `Bearer ${T}`, body: { token: U } },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    { name: 'two different query tokens', sources: { query: [T, U] }, code: 'ERR_TOKEN_AMBIGUOUS' },
    {
      name: 'two different Bearer headers',
      sources: { authorization: [`Bearer ${T}`, `Bearer ${U}`] },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    { name: 'an empty query token', sources: { query: [''] }, code: 'ERR_TOKEN_MALFORMED' },
    {
      name: 'Bearer with no token',
      sources: { authorization: 'Bearer' },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'Bearer with two words',
      sources: { authorization: `Bearer ${T} ${U}` },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'Bearer with a tab',
      sources: { authorization: `Bearer\t${T}` },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'Bearer with illegal characters',
      sources: { authorization: 'Bearer a"b' },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'a non-string body token',
      sources: { body: { token: 5 } },
      code: 'ERR_TOKEN_MALFORMED',
    },
  ];

describe('extractToken', () => {
  it.each(cases)('given $name', ({ sources, token, code }) => {
    if (token) expect(extractToken(sources)).toBe(token);
    else expect(() => extractToken(sources)).toThrow(expect.objectContaining({ code }));
  });
});

describe('queryTokens', () => {
  it('reads every access-token value and ignores the fragment', () => {
    expect(queryTokens('/a?x=1&access-token=abc&access-token=d%2Ee#access-token=zzz')).toEqual([
      'abc',
      'd.e',
    ]);
    expect(queryTokens('/a')).toEqual([]);
  });
});
