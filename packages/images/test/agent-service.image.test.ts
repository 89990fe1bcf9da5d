import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecret, signToken } from '@agentauth/auth-core';
import { createDevModelServer, type DevModelServer } from '@agentauth/dev-model-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectHardened, SERVICE_USER, startHealthy } from './support.js';

// The agent-service image, run as the chart runs it (uid 1000, fsGroup-owned data volume at
// /var/lib/agentauth, read-only root, tmpfs /tmp, no capabilities, 512 MiB), against the
// development model server as its LLM endpoint.
const SECRET = 'images-test-secret-0123456789abcdef-0123456789';
const DATA_DIR = '/var/lib/agentauth';
let volume: string;
let model: DevModelServer;
let llmBaseUrl: string;

beforeAll(async () => {
  volume = mkdtempSync(join(tmpdir(), 'agentauth-image-data-'));
  // The chart's fsGroup makes the volume writable for the pod's uid; here the directory is its.
  chownSync(volume, 1000, 1000);
  model = createDevModelServer();
  llmBaseUrl = `${await model.listen(0, '127.0.0.1')}/v1`;
});

afterAll(async () => {
  await model?.close();
  rmSync(volume, { recursive: true, force: true });
});

const start = () =>
  startHealthy(
    {
      image: inject('images')['agent-service'],
      user: SERVICE_USER,
      memory: '512m',
      env: { AUTH_JWT_SECRET: SECRET, LLM_BASE_URL: llmBaseUrl, LLM_API_KEY: 'dev-key' },
      mounts: [{ source: volume, target: DATA_DIR }],
    },
    '/api/healthcheck',
  );

const bearer = async () => ({
  authorization: `Bearer ${await signToken(
    { uid: 7, name: 'alice', email: null, role: 'REGULAR' },
    { key: (await loadSecret({ AUTH_JWT_SECRET: SECRET })).key, ttl: '5m' },
  )}`,
});

describe('the agent-service image', () => {
  let first: Awaited<ReturnType<typeof start>>;

  it('starts healthy with its database on the volume, hardened as in the chart', async () => {
    first = await start();
    expectHardened(first.container, '1000', 512 * 1024 * 1024);
  });

  it('lists agents for an authenticated user and refuses a request without a token', async () => {
    const list = await fetch(`${first.origin}/api/agents`, { headers: await bearer() });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ agents: [], access: 'shared' });
    const anonymous = await fetch(`${first.origin}/api/agents`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('keeps an agent on the volume across a container restart', async () => {
    const created = await fetch(`${first.origin}/api/agents`, {
      method: 'POST',
      headers: { ...(await bearer()), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', modelType: 'dev-model' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(existsSync(join(volume, 'agents.db'))).toBe(true);
    await first.container.stop();

    const second = await start();
    const again = await fetch(`${second.origin}/api/agents/${id}`, { headers: await bearer() });
    expect(again.status).toBe(200);
    expect(second.container.logs()).not.toContain(SECRET);
  });
});
