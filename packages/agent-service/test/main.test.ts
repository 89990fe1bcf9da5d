import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  mixedCaseSecretTokens,
  TEST_SECRET,
  TEST_SECRET_MIXED_CASE,
} from '@agentauth/auth-core/testing';
import { createDevModelServer } from '@agentauth/dev-model-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handshake, tokenFor } from './harness.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'agent-service-main-'));
const dev = createDevModelServer();
let llm = '';
beforeAll(async () => {
  llm = `${await dev.listen(0)}/v1`;
});
afterAll(async () => {
  await dev.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

const good = () => ({
  PORT: '0',
  LLM_BASE_URL: llm,
  AUTH_JWT_SECRET: TEST_SECRET,
  AGENT_DB_PATH: join(dir, 'agents.db'),
});

describe('main (the built service)', () => {
  it.each([
    [{ LLM_BASE_URL: '' }, /^agent-service: LLM_BASE_URL is required/],
    [
      { AUTH_JWT_SECRET: 'random' },
      /^agent-service: The JWT secret from AUTH_JWT_SECRET is "random"/,
    ],
    [
      { WS_MAX_PAYLOAD: 'big' },
      /^agent-service: WS_MAX_PAYLOAD must be a whole number of bytes between 1024 and 16777216\.$/,
    ],
    [
      { AGENT_DATABASE_URL: 'mysql://u:hunter22@db/agents' },
      /^agent-service: AGENT_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL\.$/,
    ],
    [
      // Nothing listens on port 1: unreachable at start-up stops the service, password unsaid.
      { AGENT_DATABASE_URL: 'postgres://u:hunter22@127.0.0.1:1/agents' },
      /^agent-service: AGENT_DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/agents \(.+\)\.$/,
    ],
  ])('exits 1 with one sentence for a bad configuration %j', async (patch, message) => {
    const run = start({ ...good(), ...patch });
    expect(await run.exited).toBe(1);
    expect(run.err().trim().split('\n')).toHaveLength(1);
    expect(run.err().trim()).toMatch(message);
    expect(run.err()).not.toContain('hunter22');
  });

  it('exits 1 with one sentence naming METRICS_PORT when that port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const run = start({ ...good(), METRICS_PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.err()).toBe(
        `agent-service: Cannot listen on 127.0.0.1:${port} (EADDRINUSE); set METRICS_PORT or HOST to a free local address.\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('exits 1 with one sentence for a corrupt database, and leaves it alone', async () => {
    const path = join(dir, 'corrupt.db');
    writeFileSync(path, 'not sqlite');
    const run = start({ ...good(), AGENT_DB_PATH: path });
    expect(await run.exited).toBe(1);
    expect(run.err().trim().split('\n')).toHaveLength(1);
    expect(run.err()).toMatch(/is not a usable agent database .* it was left untouched/);
  });

  it('serves, keeps tokens out of its log, and shuts down on SIGTERM', async () => {
    const run = start(good());
    const listening = await listeningLine(run);
    // The one log shape of every service (pino, named), as the other services write it.
    expect(listening).toMatchObject({ level: 30, name: 'agent-service' });
    const { url } = listening;
    expect((await fetch(`${url}/api/healthcheck`)).status).toBe(200);
    const token = await tokenFor();
    const created = await fetch(`${url}/api/agents?access-token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a', modelType: 'dev-model' }),
    });
    const agent = (await created.json()) as { id: string };
    const ws = await handshake(
      `${url.replace('http', 'ws')}/api/agents/${agent.id}/react?access-token=${token}`,
    );
    expect(ws.status).toBe(101);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('access-token=[REDACTED]');
    expect(run.out()).not.toContain(token);
    expect(run.out()).toContain('shutting down');
  });

  it('keys by the lower-cased secret, as the platform issuer does: a mixed-case AUTH_JWT_SECRET', async () => {
    const run = start({ ...good(), AUTH_JWT_SECRET: TEST_SECRET_MIXED_CASE });
    const { url } = await listeningLine(run);
    try {
      const { issued, asTyped } = mixedCaseSecretTokens();
      const list = (token: string) =>
        fetch(`${url}/api/agents`, { headers: { authorization: `Bearer ${token}` } });
      expect((await list(issued)).status).toBe(200);
      const refused = await list(asTyped);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({
        error: { code: 'ERR_TOKEN_SIGNATURE' },
      });
      const created = await fetch(`${url}/api/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${issued}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a', modelType: 'dev-model' }),
      });
      const { id } = (await created.json()) as { id: string };
      const ws = `${url.replace('http', 'ws')}/api/agents/${id}/react?access-token=`;
      expect((await handshake(`${ws}${issued}`)).status).toBe(101);
      expect((await handshake(`${ws}${asTyped}`)).status).toBe(401);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});

/** Resolves with the parsed `agent-service listening` log line, or fails if the child exits first. */
function listeningLine(
  run: ReturnType<typeof start>,
): Promise<Record<string, unknown> & { url: string }> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = run
        .out()
        .split('\n')
        .find((l) => l.includes('agent-service listening'));
      if (line) resolve(JSON.parse(line));
    };
    run.child.stdout.on('data', check);
    run.exited.then((code) => reject(new Error(`exited with ${code}: ${run.err()}`)));
  });
}
