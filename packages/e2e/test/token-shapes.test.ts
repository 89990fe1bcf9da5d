import { mixedCaseSecretTokens } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, listAgents } from '../src/agent-client.js';
import { codeOf, type RawEntryPoint, rawEntryPoints } from '../src/raw-entry-points.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, BOB, tokenFor } from '../src/tokens.js';

// How a token is presented, not what it is: the Bearer scheme's spelling and whitespace, header
// bytes that are not UTF-8, tokens in two places, and sizes past each parser's limit. Driven over
// raw sockets so the bytes are exactly the attacker's.

let stack: E2eStack;
let agentId = '';
let entries: RawEntryPoint[] = [];
const A = tokenFor(ALICE);
const B = tokenFor(BOB);

beforeAll(async () => {
  stack = await startE2eStack();
  agentId = (await createAgent(stack.agentUrl, A)).id;
  entries = rawEntryPoints(stack, agentId);
});
afterAll(async () => {
  await stack?.stop();
});

const ENTRY_NAMES = [
  'nginx, REST',
  'nginx, WebSocket',
  'access-control-service, Envoy shape',
  'access-control-service, nginx shape',
  'agent-service, REST',
  'agent-service, WebSocket',
];
const entry = (name: string): RawEntryPoint => {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
};

interface Shape {
  readonly name: string;
  readonly query: string;
  readonly lines: readonly string[];
  /** 200 = admitted (101 on a WebSocket); else the refusal and its code. */
  readonly status: 200 | 401;
  readonly code?: string;
}

const nonUtf8 = Buffer.concat([
  Buffer.from(`Authorization: Bearer ${A.slice(0, 20)}`, 'latin1'),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from(A.slice(20), 'latin1'),
]).toString('latin1');

const shapes: Shape[] = [
  { name: 'scheme in lower case', query: '', lines: [`Authorization: bearer ${A}`], status: 200 },
  { name: 'scheme in upper case', query: '', lines: [`Authorization: BEARER ${A}`], status: 200 },
  { name: 'scheme in mixed case', query: '', lines: [`Authorization: BeArEr ${A}`], status: 200 },
  {
    name: 'three spaces after the scheme',
    query: '',
    lines: [`Authorization: Bearer   ${A}`],
    status: 200,
  },
  {
    name: 'whitespace around the value',
    query: '',
    lines: [`Authorization:    Bearer ${A}   `],
    status: 200,
  },
  {
    name: 'header name in capitals',
    query: '',
    lines: [`AUTHORIZATION: Bearer ${A}`],
    status: 200,
  },
  {
    name: 'a token keyed by the mixed-case secret as typed, not lower-cased',
    query: '',
    lines: [`Authorization: Bearer ${mixedCaseSecretTokens().asTyped}`],
    status: 401,
    code: 'ERR_TOKEN_SIGNATURE',
  },
  {
    name: 'a tab after the scheme',
    query: '',
    lines: [`Authorization: Bearer\t${A}`],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'a second word after the token',
    query: '',
    lines: [`Authorization: Bearer ${A} extra`],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'the scheme alone',
    query: '',
    lines: ['Authorization: Bearer'],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'two credentials in one header',
    query: '',
    lines: [`Authorization: Bearer ${A},Bearer ${A}`],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'a quoted token',
    query: '',
    lines: [`Authorization: Bearer "${A}"`],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'non-UTF-8 bytes inside the token',
    query: '',
    lines: [nonUtf8],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'Basic credentials',
    query: '',
    lines: ['Authorization: Basic YWxpY2U6c2VjcmV0'],
    status: 401,
    code: 'ERR_TOKEN_MISSING',
  },
  {
    name: 'no space after the scheme',
    query: '',
    lines: [`Authorization: Bearer${A}`],
    status: 401,
    code: 'ERR_TOKEN_MISSING',
  },
  {
    name: 'the Token scheme',
    query: '',
    lines: [`Authorization: Token ${A}`],
    status: 401,
    code: 'ERR_TOKEN_MISSING',
  },
  {
    name: 'the token in a cookie only',
    query: '',
    lines: [`Cookie: access-token=${A}; token=${A}`],
    status: 401,
    code: 'ERR_TOKEN_MISSING',
  },
  {
    name: 'the token in X-Access-Token only',
    query: '',
    lines: [`X-Access-Token: ${A}`],
    status: 401,
    code: 'ERR_TOKEN_MISSING',
  },
  {
    name: 'query and header with the same token',
    query: `access-token=${A}`,
    lines: [`Authorization: Bearer ${A}`],
    status: 200,
  },
  {
    name: 'query and header with different valid tokens',
    query: `access-token=${A}`,
    lines: [`Authorization: Bearer ${B}`],
    status: 401,
    code: 'ERR_TOKEN_AMBIGUOUS',
  },
  {
    name: 'query with a valid token, header with garbage',
    query: `access-token=${A}`,
    lines: ['Authorization: Bearer garbage'],
    status: 401,
    code: 'ERR_TOKEN_AMBIGUOUS',
  },
  {
    name: 'two different access-token values',
    query: `access-token=${A}&access-token=${B}`,
    lines: [],
    status: 401,
    code: 'ERR_TOKEN_AMBIGUOUS',
  },
  {
    name: 'a second access-token with an encoded name',
    query: `access-token=${A}&access%2Dtoken=${B}`,
    lines: [],
    status: 401,
    code: 'ERR_TOKEN_AMBIGUOUS',
  },
  {
    name: 'an empty second access-token',
    query: `access-token=${A}&access-token=`,
    lines: [],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'percent-encoded non-UTF-8 bytes as the query token',
    query: 'access-token=%FF%FE%C3',
    lines: [],
    status: 401,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'Access-Token (another parameter) next to a valid header',
    query: `Access-Token=${B}`,
    lines: [`Authorization: Bearer ${A}`],
    status: 200,
  },
];

describe.each(ENTRY_NAMES)('%s', (name) => {
  it.each(shapes)('$name → $status', async (shape) => {
    const e = entry(name);
    const res = await e.send(shape.query, shape.lines);
    if (shape.status === 200) {
      expect(res.status).toBe(e.admitted);
      return;
    }
    expect(res.status).toBe(shape.status);
    expect(res.headers['www-authenticate']?.[0]).toMatch(/^Bearer realm="agentauth"/);
    expect(codeOf(res)).toBe(shape.code);
    expect(res.body).not.toContain(A);
  });
});

describe('two Authorization headers with different tokens', () => {
  const lines = [`Authorization: Bearer ${A}`, `Authorization: Bearer ${B}`];
  it('nginx refuses the request itself (400) before any decision', async () => {
    expect((await entry('nginx, REST').send('', lines)).status).toBe(400);
    expect((await entry('nginx, WebSocket').send('', lines)).status).toBe(400);
  });
  it.each([
    'access-control-service, Envoy shape',
    'access-control-service, nginx shape',
    'agent-service, REST',
    'agent-service, WebSocket',
  ])('%s answers 401 ERR_TOKEN_AMBIGUOUS (never a silent pick of the first)', async (name) => {
    const res = await entry(name).send('', lines);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('ERR_TOKEN_AMBIGUOUS');
  });
});

describe('a header token and a different body token', () => {
  const body = JSON.stringify({ token: B, name: 'two-token agent', modelType: 'dev-model' });
  it.each(['nginx, REST', 'access-control-service, Envoy shape', 'agent-service, REST'])(
    '%s answers 401 ERR_TOKEN_AMBIGUOUS and creates nothing',
    async (name) => {
      const res = await entry(name).send('', [`Authorization: Bearer ${A}`], body);
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('ERR_TOKEN_AMBIGUOUS');
      const agents = await listAgents(stack.agentUrl, A);
      expect(agents.map((a) => a.name)).not.toContain('two-token agent');
    },
  );
  it('a body token alone is not enough at the gateway (the authorize call never sees bodies)', async () => {
    const res = await entry('nginx, REST').send(
      '',
      [],
      JSON.stringify({ token: A, name: 'x', modelType: 'dev-model' }),
    );
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('ERR_TOKEN_MISSING');
  });
});

describe('tokens past a parser limit are refused, never admitted, and crash nothing', () => {
  const huge = `${A}${'A'.repeat(40 * 1024)}`;
  const enormous = 'A'.repeat(1024 * 1024);
  // Each layer refuses at its own limit: nginx's 16 KiB header line, the access-control-service's
  // 32 KiB head, the agent-service's 48 KiB head; below those, auth-core's 8 KiB token limit (401).
  it.each([
    ['nginx, REST', 400],
    ['nginx, WebSocket', 400],
    ['access-control-service, Envoy shape', 431],
    ['access-control-service, nginx shape', 431],
    ['agent-service, REST', 401],
    ['agent-service, WebSocket', 401],
  ] as const)('a 40 KiB Bearer token at %s → %i', async (name, status) => {
    const res = await entry(name).send('', [`Authorization: Bearer ${huge}`]);
    expect(res.status).toBe(status);
    if (status === 401) expect(codeOf(res)).toBe('ERR_TOKEN_TOO_LARGE');
  });
  it.each([
    ['nginx, REST', 414],
    ['nginx, WebSocket', 414],
    ['access-control-service, Envoy shape', 431],
    ['access-control-service, nginx shape', 431],
    ['agent-service, REST', 431],
    ['agent-service, WebSocket', 431],
  ] as const)('a 1 MiB query token at %s → %i', async (name, status) => {
    const res = await entry(name).send(`access-token=${enormous}`, []);
    expect(res.status).toBe(status);
  });
});

describe('after the shapes', () => {
  it('leaves every process alive and healthy', async () => {
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});
