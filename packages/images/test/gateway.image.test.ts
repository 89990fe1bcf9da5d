import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecret, signToken } from '@agentauth/auth-core';
import { createDevModelServer, type DevModelServer } from '@agentauth/dev-model-server';
import { type RunningNginx, startNginx } from '@agentauth/nginx';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { REPO_ROOT } from '../src/index.js';
import { rolloutChecks, storyCommands } from './install-story.js';
import { SERVICE_USER, startHealthy, WEB_USER } from './support.js';

// The three images together behind the single-node nginx gateway (@agentauth/nginx, with the web
// image as its web upstream), each container hardened as in the chart: a user signs in, creates
// an agent and chats with it over the WebSocket, with the development model server as the LLM.
const SECRET = 'images-gateway-secret-0123456789abcdef-012345';
let work: string;
let model: DevModelServer;
let nginx: RunningNginx | undefined;
let gateway: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agentauth-images-gateway-'));
  chmodSync(work, 0o755);
  const data = join(work, 'data');
  mkdirSync(data);
  chownSync(data, 1000, 1000);
  model = createDevModelServer({ tokenDelayMs: 2 });
  const llm = `${await model.listen(0, '127.0.0.1')}/v1`;
  const images = inject('images');
  const env = { AUTH_JWT_SECRET: SECRET };
  const [acs, agents, web] = await Promise.all([
    startHealthy(
      { image: images['access-control-service'], user: SERVICE_USER, memory: '256m', env },
      '/api/healthcheck',
    ),
    startHealthy(
      {
        image: images['agent-service'],
        user: SERVICE_USER,
        memory: '512m',
        env: { ...env, LLM_BASE_URL: llm, LLM_API_KEY: 'dev-key' },
        mounts: [{ source: data, target: '/var/lib/agentauth' }],
      },
      '/api/healthcheck',
    ),
    startHealthy({ image: images.web, user: WEB_USER, memory: '128m', containerPort: 8080 }, '/'),
  ]);

  nginx = await startNginx({
    accessControlService: `127.0.0.1:${acs.port}`,
    agentService: `127.0.0.1:${agents.port}`,
    webUpstream: `127.0.0.1:${web.port}`,
    workerProcesses: 1,
  });
  gateway = nginx.origin.replace(/^http:\/\//, '');
  // startNginx resolved once nginx accepts connections; the whole chain answers already.
  expect((await fetch(`http://${gateway}/api/agents`)).status).toBe(401);
});

afterAll(async () => {
  await nginx?.stop();
  await model?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs a bash script from the repository root without blocking this process: the development
 * model server the agent-service calls lives in it. Resolves with the output, whatever the exit.
 */
function shell(script: string, env: Record<string, string>) {
  return new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
      (_e, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });
}

const alice = async () =>
  signToken(
    { uid: 7, name: 'alice', email: 'alice@example.org', role: 'REGULAR' },
    { key: (await loadSecret({ AUTH_JWT_SECRET: SECRET })).key, ttl: '10m' },
  );

describe('the three images behind the single-node gateway', () => {
  let token: string;
  let agentId: string;

  it('serves the app shell and its script from the web image with the CSP', async () => {
    const page = await fetch(`http://${gateway}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`http://${gateway}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('signs in: the access-control-service lets the token through to the agent-service', async () => {
    token = await alice();
    const list = await fetch(`http://${gateway}/api/agents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ agents: [], access: 'shared' });
    const forged = await fetch(`http://${gateway}/api/agents`, {
      headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);
  });

  it('creates an agent', async () => {
    const created = await fetch(`http://${gateway}/api/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Container helper', modelType: 'dev-model' }),
    });
    expect(created.status).toBe(201);
    agentId = ((await created.json()) as { id: string }).id;
  });

  it('streams a chat over the WebSocket through nginx', async () => {
    const ws = new WebSocket(
      `ws://${gateway}/api/agents/${agentId}/react?access-token=${encodeURIComponent(token)}`,
    );
    const events: { type: string; state?: string }[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no completed run: ${JSON.stringify(events)}`)),
        20_000,
      );
      ws.on('message', (data) => {
        const event = JSON.parse(String(data)) as { type: string; state?: string };
        events.push(event);
        if (event.type === 'snapshot')
          ws.send(JSON.stringify({ v: 1, type: 'prompt', text: 'What is 6*7?' }));
        if (event.type === 'error' || (event.type === 'status' && event.state === 'completed')) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('error', reject);
    });
    await finished;
    ws.close();
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('snapshot');
    expect(types).not.toContain('error');
    expect(events.filter((e) => e.type === 'step').length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ type: 'status', state: 'completed' });
  });

  it('passes the install story’s checks: 401 without a token, 200 with the CLI’s REGULAR token', async () => {
    // Step 4 of the story without its kubectl line: GW is this gateway, the secret this stack's.
    const check = storyCommands()
      .slice(storyCommands().findIndex((c) => c.startsWith('GW=')) + 1)
      .join('\n');
    expect(check).toContain('curl');
    const run = await shell(check, { GW: gateway, PLATFORM_JWT_SECRET: SECRET });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('401\n200\n');
  });

  it('passes the checks docs/rollout.md tells operators to run: 401, 403, 200, the upgrade, the clean-up', async () => {
    const checks = rolloutChecks();
    expect(checks.filter((c) => c.startsWith('curl')).length).toBe(5);
    // Each curl prints its status; the WebSocket one then holds the socket until --max-time.
    const run = await shell(checks.join('\n'), { GW: gateway, PLATFORM_JWT_SECRET: SECRET });
    expect(run.stdout, run.stderr).toBe('401\n403\n200\n101\n204\n');
  });

  it('keeps the token out of the gateway access log', () => {
    expect(nginx?.accessLog()).not.toContain(token);
  });
});
