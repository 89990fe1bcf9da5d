import { REACT_SUBPROTOCOL } from '@agentauth/agent-api';
import { bearerProtocol } from '@agentauth/auth-core';
import { tokenParamSpellings } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent-client.js';
import { send } from '../src/http-client.js';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, BOB, tokenFor } from '../src/tokens.js';
import { closeSession, openSocket } from '../src/websocket-client.js';

// One rule for what is a token and what is redacted, at every layer of the real stack: every
// spelling of the access-token parameter that extraction reads (it is the token: 200/101) is
// removed from every log, and so is the bearer subprotocol entry, in the services' request logs
// (LOG_LEVEL=info), the stack's own output and nginx's access and error logs.

let stack: E2eStack;
let agentId = '';
const good = tokenFor(ALICE);
const other = tokenFor(BOB);
beforeAll(async () => {
  stack = await startE2eStack({ logLevel: 'info' });
  agentId = (await createAgent(stack.agentUrl, good)).id;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** The token and every long piece of it: a segment, its subprotocol encoding. */
const piecesOf = (token: string) => [
  token,
  ...token.split('.').filter((p) => p.length >= 16),
  bearerProtocol(token).split('.').at(-1) as string,
];

async function socket(url: string, protocols: string[] = []) {
  const hs = await openSocket(url, {}, 10_000, protocols);
  if (hs.status !== 101 || !('session' in hs)) return { status: hs.status, protocol: undefined };
  const protocol = hs.session.ws.protocol;
  await closeSession(hs.session);
  return { status: 101, protocol };
}

describe('every token source, at every entry point of the real stack', () => {
  it('reads every spelling of access-token as the token, and the bearer subprotocol entry', async () => {
    const origins = [stack.origin, stack.agentUrl];
    for (const origin of origins) {
      const ws = origin.replace('http', 'ws');
      const react = `${ws}/api/agents/${agentId}/react`;
      for (const name of tokenParamSpellings()) {
        expect((await send(`${origin}/api/agents?${name}=${good}`)).status).toBe(200);
        expect((await send(`${origin}/api/agents?x=1&${name}=${good}x`)).status).toBe(401);
        expect((await socket(`${react}?${name}=${good}`)).status).toBe(101);
        expect(
          (await socket(`${react}?${name}=${other}`, [REACT_SUBPROTOCOL, bearerProtocol(good)]))
            .status,
        ).toBe(401);
      }
      expect(await socket(react, [REACT_SUBPROTOCOL, bearerProtocol(good)])).toEqual({
        status: 101,
        protocol: REACT_SUBPROTOCOL,
      });
      expect((await socket(react, [REACT_SUBPROTOCOL, bearerProtocol(`${good}x`)])).status).toBe(
        401,
      );
    }
  }, 120_000);

  it('refuses two Sec-WebSocket-Protocol lines carrying different tokens, at the gateway and the service', async () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    for (const port of [stack.gatewayPort, Number(new URL(stack.agentUrl).port)]) {
      // nginx 1.22 forwards only the first line to the authorize call, which allows it; the
      // agent-service reads both lines and refuses the pair, so the request fails closed.
      for (const [first, second] of [
        [good, other],
        [other, good],
      ] as const) {
        const { first: answer } = await rawExchange(
          port,
          httpRequest([
            `GET /api/agents/${agentId}/react HTTP/1.1`,
            'Host: t',
            'Upgrade: websocket',
            'Connection: Upgrade',
            'Sec-WebSocket-Version: 13',
            `Sec-WebSocket-Key: ${key}`,
            `Sec-WebSocket-Protocol: ${REACT_SUBPROTOCOL}, ${bearerProtocol(first)}`,
            `Sec-WebSocket-Protocol: ${bearerProtocol(second)}`,
          ]),
        );
        expect(answer?.status).toBe(401);
        expect(answer?.body).toContain('ERR_TOKEN_AMBIGUOUS');
      }
    }
  });

  it('writes none of those tokens to any log: services, stack output, nginx access and error', () => {
    const { access, error } = stack.nginxLogs();
    const output = stack.output();
    const logs = { 'stack output': output, 'nginx access log': access, 'nginx error log': error };
    // The logs were written: one request line per REST request at the services, one per request
    // at nginx, each with the redacted query.
    expect(output.match(/\[REDACTED\]/g)?.length ?? 0).toBeGreaterThan(
      tokenParamSpellings().length,
    );
    expect(access.trim().split('\n').length).toBeGreaterThan(4 * tokenParamSpellings().length);
    for (const [where, text] of Object.entries(logs))
      for (const token of [good, other])
        for (const piece of piecesOf(token))
          expect(text, `${where} holds a token piece`).not.toContain(piece);
  });
});
