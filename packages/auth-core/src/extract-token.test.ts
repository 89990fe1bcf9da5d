import { describe, expect, it } from 'vitest';
import type { AuthErrorCode } from './errors.js';
import { extractToken, type TokenSources } from './extract-token.js';
import { bearerProtocol } from './websocket-protocol.js';

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
    {
      name: 'a bearer subprotocol entry next to the real protocol',
      sources: { protocol: `agentauth.react.v1, ${bearerProtocol(T)}` },
      token: T,
    },
    {
      name: 'the same token in the subprotocol and the query',
      sources: { query: [T], protocol: bearerProtocol(T) },
      token: T,
    },
    {
      name: 'different tokens in the subprotocol and the query',
      sources: { query: [T], protocol: `agentauth.react.v1, ${bearerProtocol(U)}` },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    {
      name: 'different tokens in the subprotocol and the Bearer header',
      sources: { protocol: bearerProtocol(T), authorization: `Bearer ${U}` },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    {
      name: 'two subprotocol entries with different tokens',
      sources: { protocol: [bearerProtocol(T), bearerProtocol(U)] },
      code: 'ERR_TOKEN_AMBIGUOUS',
    },
    {
      name: 'a subprotocol entry whose token is not base64url',
      sources: { protocol: 'base64url.bearer.authorization.agentauth.dev.a+b' },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'a subprotocol entry with an empty token',
      sources: { protocol: 'base64url.bearer.authorization.agentauth.dev.' },
      code: 'ERR_TOKEN_MALFORMED',
    },
    {
      name: 'only real subprotocols',
      sources: { protocol: 'agentauth.react.v1, chat' },
      code: 'ERR_TOKEN_MISSING',
    },
    {
      name: "another domain's bearer entry (not ours: a protocol name)",
      sources: {
        protocol: `base64url.bearer.authorization.k8s.io.${Buffer.from(T).toString('base64url')}`,
      },
      code: 'ERR_TOKEN_MISSING',
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
