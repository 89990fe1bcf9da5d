import { identityHeadersFor } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET, type TokenCase } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent-client.js';
import { type Answer, entryPoints } from '../src/entry-points.js';
import { send } from '../src/http-client.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, tokenFor } from '../src/tokens.js';

// Every row of auth-core's tokenMatrix (which ends with its attacker catalogue) at every entry point of the
// real stack: admitted rows are admitted everywhere, refused rows are refused everywhere with
// their documented status, code and challenge, and no answer echoes the token.

let stack: E2eStack;
let agentId = '';
beforeAll(async () => {
  stack = await startE2eStack();
  agentId = (await createAgent(stack.agentUrl, tokenFor(ALICE))).id;
  fresh.build();
});
afterAll(async () => {
  await stack?.stop();
});

// Names and verdicts for the test titles; each case takes its row's token from `fresh`. (Rows such
// as "expired 10 s ago, within the skew" would flip if built at collection and the stack were slow.)
const fresh = matrixAtUse(TEST_SECRET);
const rows = fresh.rows;
const current = (row: TokenCase): TokenCase => fresh.row(row.name);
const ENVOY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'];

function expectRefusal(answer: Answer, row: (typeof rows)[number]) {
  expect(answer.status).toBe(row.status);
  expect(answer.body).not.toContain(row.token);
  if (row.status === 401) {
    expect(answer.challenge).toMatch(/^Bearer realm="agentauth"/);
    expect(answer.code).toBe(row.code);
  } else {
    // Every entry point, nginx included: auth_request drops the body, the code header survives.
    expect(answer.challenge).toBeUndefined();
    expect(answer.code).toBe(row.code);
  }
}

describe.each(
  // Built lazily: the stack (and the agent id) exist only once beforeAll ran.
  [
    'nginx, REST, Authorization: Bearer',
    'nginx, REST, ?access-token=',
    'nginx, WebSocket, ?access-token=',
    'access-control-service, Envoy shape, Bearer',
    'access-control-service, Envoy shape, WebSocket query',
    'access-control-service, nginx shape, Bearer',
    'access-control-service, nginx shape, X-Original-URI query',
    'agent-service, REST, Authorization: Bearer',
    'agent-service, REST, ?access-token=',
    'agent-service, WebSocket, ?access-token=',
    'agent-service, WebSocket, Authorization: Bearer',
  ],
)('%s', (entryName) => {
  it.each(rows)('$name → $status', async (named) => {
    const row = current(named);
    const entry = entryPoints(stack, agentId).find((e) => e.name === entryName);
    if (!entry) throw new Error(`no entry point ${entryName}`);
    const answer = await entry.probe(row.token);
    if (row.status === 200) {
      expect(answer.status).toBe(entry.admitted);
      if (entry.name.startsWith('access-control-service') && row.user) {
        for (const [name, value] of Object.entries(identityHeadersFor(row.user))) {
          expect(answer.headers[name]).toBe(value);
        }
      }
      if (entry.admitted === 101)
        expect(JSON.parse(answer.body)).toMatchObject({ type: 'snapshot' });
    } else {
      expectRefusal(answer, row);
    }
  });
});

describe('access-control-service, Envoy shape, every method', () => {
  it.each(rows)('$name → $status for each method', async (named) => {
    const row = current(named);
    for (const method of ENVOY_METHODS) {
      const res = await send(`${stack.acsUrl}/api/auth/api/agents/${agentId}/settings`, {
        method,
        headers: { authorization: `Bearer ${row.token}` },
      });
      expect(res.status, method).toBe(row.status);
      expect(res.headers['cache-control'], method).toBe('no-store');
      if (row.status === 200 && row.user) {
        expect(res.headers['x-user-id'], method).toBe(String(row.user.uid));
      }
      if (row.status === 401) expect(res.headers['www-authenticate'], method).toMatch(/^Bearer /);
      if (row.status !== 200 && method !== 'HEAD') expect(res.code, method).toBe(row.code);
    }
  });
});

describe('after the matrix', () => {
  it('leaves every process alive and healthy', async () => {
    expect(await stack.health()).toEqual({
      'access-control-service': true,
      'agent-service': true,
      'dev-model-server': true,
      nginx: true,
    });
  });
});
