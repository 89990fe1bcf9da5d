import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { loadSecret, signToken } from '@agentauth/auth-core';
import { TEST_SECRET } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { type Services, startServices } from './support/services.js';

// nginx pools connections to the agent-service (`keepalive 32`). If the service closed an idle
// pooled connection before nginx dropped it, nginx could send the next request into a closing
// socket (a sporadic 502). The real services behind a real nginx with one worker (one pool).

let services: Services;
let gw: RunningGateway;
let token: string;

beforeAll(async () => {
  services = await startServices();
  gw = await startGateway({
    accessControlService: services.acs.address,
    agentService: services.agent.address,
    workerProcesses: 1,
  });
  const { key } = await loadSecret({ AUTH_JWT_SECRET: TEST_SECRET });
  token = await signToken({ uid: 7, name: 'kim', role: 'REGULAR', email: null }, { key, ttl: 600 });
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await services?.stop();
});

/** Established TCP connections accepted on `port` (Linux /proc/net/tcp), by the peer's port. */
function acceptedOn(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '01')
    .map((f) => f[2] as string);
}

/** The `Keep-Alive: timeout=N` a server announces on a kept-alive response, in seconds. */
function announcedKeepAlive(url: string): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      const match = /timeout=(\d+)/.exec(String(res.headers['keep-alive'] ?? ''));
      agent.destroy();
      if (match) resolve(Number(match[1]));
      else reject(new Error(`${url} announced no keep-alive timeout`));
    }).on('error', reject);
  });
}

/** nginx's upstream `keepalive_timeout` in seconds (60 when the config leaves the default). */
function upstreamKeepAlive(config: string): number {
  const upstream = /upstream agentauth_agent_service \{([^}]*)\}/.exec(config)?.[1] ?? '';
  const set = /keepalive_timeout\s+(\d+)s?;/.exec(upstream)?.[1];
  return set === undefined ? 60 : Number(set);
}

describe('the upstream keep-alive between nginx and the agent-service', () => {
  it('lasts longer on the service side than nginx keeps an idle pooled connection', async () => {
    const service = await announcedKeepAlive(`${services.agent.url}/api/healthcheck`);
    expect(service).toBeGreaterThan(upstreamKeepAlive(gw.config));
  });

  it('carries successive gateway requests over one reused upstream connection', async () => {
    const list = () =>
      fetch(`${gw.origin}/api/agents`, { headers: { authorization: `Bearer ${token}` } });
    // Other clients (the health checks of this process) may hold connections of their own.
    const before = acceptedOn(services.agent.port);
    expect((await list()).status).toBe(200);
    const pooled = acceptedOn(services.agent.port).filter((peer) => !before.includes(peer));
    expect(pooled).toHaveLength(1);
    for (let i = 0; i < 5; i++) expect((await list()).status).toBe(200);
    const after = acceptedOn(services.agent.port).filter((peer) => !before.includes(peer));
    expect(after).toEqual(pooled);
  });
});
