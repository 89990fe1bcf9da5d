import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PUBLIC_DEFAULT_SECRET } from '@agentauth/auth-core';
import {
  mixedCaseSecretTokens,
  TEST_SECRET,
  TEST_SECRET_MIXED_CASE,
  tokenMatrix,
} from '@agentauth/auth-core/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(MAIN)) {
    throw new Error(
      `${MAIN} is missing: run \`pnpm turbo run build --filter=@agentauth/access-control-service\` first.`,
    );
  }
});

/** A clean environment: nothing from the developer's shell leaks into the service. */
function envWith(vars: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, PORT: '0', ...vars };
}

async function runToExit(vars: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: envWith(vars),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr, stdout };
}

interface Started {
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  stderr: () => string;
}

async function start(vars: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: envWith(vars),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const lines: Record<string, unknown>[] = [];
  const listening = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      if (record.msg === 'listening') resolve(record.port as number);
    });
  });
  return { child, port: await listening, lines, stderr: () => stderr };
}

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('node dist/main.js refuses a bad configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acs-conf-'));
  const noKey = join(dir, 'no-key.conf');
  writeFileSync(noKey, 'auth { jwt { exp-in-days = 30 } }\n');

  it.each([
    ['no secret at all', {}, /AUTH_JWT_SECRET/],
    ['an empty secret', { AUTH_JWT_SECRET: '' }, /AUTH_JWT_SECRET is empty/],
    ["the platform's public default", { AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET }, /public default/],
    ['the random mode', { AUTH_JWT_SECRET: 'random' }, /"random"/],
    ['a short secret', { AUTH_JWT_SECRET: 'short-secret' }, /shorter than 32 characters/],
    [
      'a bad insecure switch',
      { AUTH_JWT_SECRET: TEST_SECRET, AGENTAUTH_INSECURE_DEV_SECRET: 'on' },
      /AGENTAUTH_INSECURE_DEV_SECRET/,
    ],
    ['an unreadable auth.conf', { AUTH_CONF_PATH: join(dir, 'missing.conf') }, /AUTH_CONF_PATH/],
    ['an auth.conf without the key', { AUTH_CONF_PATH: noKey }, /auth\.jwt\.256-bit-secret/],
    ['a bad PORT', { AUTH_JWT_SECRET: TEST_SECRET, PORT: 'ninety' }, /^PORT must/],
    ['a bad LOG_LEVEL', { AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'chatty' }, /^LOG_LEVEL must/],
    [
      'a bad TOKEN_CACHE_SIZE',
      { AUTH_JWT_SECRET: TEST_SECRET, TOKEN_CACHE_SIZE: '-5' },
      /^TOKEN_CACHE_SIZE must/,
    ],
  ])('%s: one sentence on stderr, exit code 1', async (_name, vars, message) => {
    const { code, stderr, stdout } = await runToExit(vars as Record<string, string>);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const sentence = (lines[0] ?? '').replace(/^access-control-service: /, '');
    expect(sentence).toMatch(message);
    expect(sentence).toMatch(/\.$/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a port already in use: one sentence naming the address, exit code 1', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as AddressInfo;
    try {
      const { code, stderr } = await runToExit({
        AUTH_JWT_SECRET: TEST_SECRET,
        PORT: String(port),
      });
      expect(code).toBe(1);
      expect(stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`),
        ),
      ]);
    } finally {
      busy.close();
    }
  });
});

describe('node dist/main.js runs', () => {
  it('serves decisions and exits 0 on SIGTERM, closing idle keep-alive connections', async () => {
    const service = await start({ AUTH_JWT_SECRET: TEST_SECRET });
    const [good] = tokenMatrix(TEST_SECRET);
    expect((await get(service.port, '/api/healthcheck')).status).toBe(200);
    const decision = await get(service.port, '/api/auth/api/agents', {
      authorization: `Bearer ${good?.token}`,
      connection: 'keep-alive',
    });
    expect(decision.status).toBe(200);
    const exited = once(service.child, 'exit');
    service.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(service.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['listening', 'decision', 'shutting down', 'stopped']),
    );
  });

  it('keys by the lower-cased secret, as the platform issuer does: a mixed-case AUTH_JWT_SECRET', async () => {
    const service = await start({ AUTH_JWT_SECRET: TEST_SECRET_MIXED_CASE });
    try {
      const { issued, asTyped } = mixedCaseSecretTokens();
      const ask = (token: string) =>
        get(service.port, '/api/auth/api/agents', { authorization: `Bearer ${token}` });
      expect((await ask(issued)).status).toBe(200);
      const refused = await ask(asTyped);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({
        error: { code: 'ERR_TOKEN_SIGNATURE' },
      });
    } finally {
      service.child.kill('SIGTERM');
      await once(service.child, 'exit');
    }
  });

  it('exits 0 on SIGINT too', async () => {
    const service = await start({ AUTH_JWT_SECRET: TEST_SECRET });
    const exited = once(service.child, 'exit');
    service.child.kill('SIGINT');
    expect(((await exited) as [number | null])[0]).toBe(0);
  });

  it('reads the secret from an auth.conf and starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acs-conf-'));
    const conf = join(dir, 'auth.conf');
    writeFileSync(conf, `auth {\n  jwt {\n    256-bit-secret = "${TEST_SECRET}"\n  }\n}\n`);
    const service = await start({ AUTH_CONF_PATH: conf });
    expect(service.lines[0]).toMatchObject({
      level: 30,
      name: 'access-control-service',
      msg: 'listening',
      secretSource: 'auth.conf',
    });
    service.child.kill('SIGTERM');
    await once(service.child, 'exit');
  });

  it('starts on a weak secret only under the insecure switch, and says so loudly', async () => {
    const service = await start({
      AUTH_JWT_SECRET: 'short-secret',
      AGENTAUTH_INSECURE_DEV_SECRET: 'true',
    });
    const warning = service.lines.find((l) => l.insecureSecret === true);
    expect(warning).toMatchObject({ level: 40, msg: expect.stringMatching(/^INSECURE/) });
    expect(service.stderr()).toMatch(/INSECURE/);
    expect(JSON.stringify(service.lines)).not.toContain('short-secret');
    service.child.kill('SIGTERM');
    await once(service.child, 'exit');
  });
});
