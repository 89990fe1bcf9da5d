import { identityHeadersFor } from '@agentauth/auth-core';
import { type PortReservation, reservePort } from '@agentauth/service-runtime/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;
let controlPort: number;
let control: PortReservation | undefined;

beforeAll(async () => {
  acs = await startRecordingServer(() => ({
    status: 200,
    headers: identityHeadersFor({ uid: 3, name: 'c', email: null, role: 'REGULAR' }),
  }));
  agent = await startRecordingServer(() => ({ status: 200 }));
  control = reservePort();
  controlPort = control.port;
  gw = await startGateway({
    accessControlService: acs.address,
    agentService: agent.address,
    benchmarkControlPort: controlPort,
  });
});

afterAll(async () => {
  await gw?.stop();
  control?.release();
  await acs?.close();
  await agent?.close();
});

describe('the benchmark-only control route', () => {
  it('listens on loopback only, in a clearly marked server block', () => {
    expect(gw.config).toContain(`listen 127.0.0.1:${controlPort};`);
    expect(gw.config).toContain('BENCHMARK ONLY, NEVER IN PRODUCTION');
  });

  it('reaches the agent-service without a decision and without client identity headers', async () => {
    const res = await rawRequest(controlPort, [
      'GET /api/agents HTTP/1.1',
      'Host: t',
      'X-User-Id: 1',
      'x_user_name: root',
      'X-User-Email: root@evil',
    ]);
    expect(res.status).toBe(200);
    expect(res.header('x-agentauth-benchmark-control')).toBe('unauthenticated gateway route');
    expect(acs.requests).toHaveLength(0);
    const seen = agent.requests.at(-1);
    expect(seen?.headers['x-user-id']).toBeUndefined();
    expect(seen?.headers['x-user-name']).toBeUndefined();
    expect(seen?.headers['x-user-email']).toBeUndefined();
  });

  it('serves nothing else', async () => {
    const res = await rawRequest(controlPort, ['GET / HTTP/1.1', 'Host: t']);
    expect(res.status).toBe(404);
  });

  it('leaves the gateway port behind the authorize subrequest', async () => {
    acs.requests.length = 0;
    await rawRequest(gw.port, ['GET /api/agents HTTP/1.1', 'Host: t']);
    expect(acs.requests).toHaveLength(1);
  });
});
