import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

// A token-shaped secret per request kind, so a leak names its source.
const QUERY_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.cXVlcnktdG9rZW4.c2lnbmF0dXJlLXF1ZXJ5';
const HEADER_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.aGVhZGVyLXRva2Vu.c2lnbmF0dXJlLWhlYWRlcg';
const ENCODED_NAME_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.ZW5jb2RlZC1uYW1l.c2lnbmF0dXJlLWVuYw';
const SECRETS = [QUERY_TOKEN, HEADER_TOKEN, ENCODED_NAME_TOKEN];

let allow = true;
let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;
let downGw: RunningGateway;

async function requestsWithTokens(port: number) {
  const targets = [
    `/api/agents/1/react?access-token=${QUERY_TOKEN}`,
    `/api/agents?x=1&access-token=${QUERY_TOKEN}&y=2`,
    `/api/agents?access%2Dtoken=${ENCODED_NAME_TOKEN}`,
    `/api/other?access-token=${QUERY_TOKEN}`,
    `/?access-token=${QUERY_TOKEN}`,
    `/assets/missing.js?access-token=${QUERY_TOKEN}`,
  ];
  for (const target of targets) {
    await rawRequest(port, [
      `GET ${target} HTTP/1.1`,
      'Host: t',
      `Authorization: Bearer ${HEADER_TOKEN}`,
      `Referer: http://t/?access-token=${QUERY_TOKEN}`,
    ]);
  }
}

beforeAll(async () => {
  acs = await startRecordingServer(() => (allow ? { status: 200 } : { status: 401 }));
  agent = await startRecordingServer(() => ({ status: 200 }));
  gw = await startGateway({ accessControlService: acs.address, agentService: agent.address });
  const closed = await startRecordingServer(() => ({ status: 200 }));
  await closed.close();
  downGw = await startGateway({
    accessControlService: closed.address,
    agentService: closed.address,
  });
});

afterAll(async () => {
  await gw?.stop();
  await downGw?.stop();
  await acs?.close();
  await agent?.close();
});

describe('the access log', () => {
  it('holds no token from the query, the Authorization header or the Referer', async () => {
    allow = true;
    await requestsWithTokens(gw.port);
    allow = false;
    await requestsWithTokens(gw.port);
    const log = gw.accessLog();
    expect(log.trim().split('\n')).toHaveLength(12);
    for (const secret of SECRETS) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/access-token=|access%2Dtoken=|Bearer/i);
  });

  it('is one JSON object per line with the redacted target and the decision', async () => {
    const lines = gw
      .accessLog()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      method: 'GET',
      uri: '/api/agents/1/react?[REDACTED]',
      status: 200,
      auth_status: '200',
    });
    expect(lines[6]).toMatchObject({ uri: '/api/agents/1/react?[REDACTED]', status: 401 });
    expect(lines[6].auth_status).toBe('401');
    expect(lines[4]).toMatchObject({ uri: '/?[REDACTED]', status: 200, auth_status: '' });
  });
});

describe('the error log', () => {
  it('holds no token when the authorize call or the agent-service fails', async () => {
    await requestsWithTokens(downGw.port);
    const access = downGw.accessLog();
    expect(access).toContain('"status":503');
    const errors = downGw.errorLog();
    for (const secret of SECRETS) expect(errors).not.toContain(secret);
    for (const secret of SECRETS) expect(access).not.toContain(secret);
  });
});
