import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier, PUBLIC_DEFAULT_SECRET, signToken } from '@agentauth/auth-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH_CONF_FILE, stackSecret } from './secret-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentauth-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('stackSecret', () => {
  it('creates a private auth.conf with a 64-hex secret on first run', async () => {
    const secret = await stackSecret({}, dir);
    const path = join(dir, AUTH_CONF_FILE);
    expect(secret).toMatchObject({ origin: 'created', path, env: { AUTH_CONF_PATH: path } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/256-bit-secret = "[0-9a-f]{64}"/);
    expect(secret.key).toHaveLength(64);
    expect(secret.warning).toBeUndefined();
  });

  it('keeps the secret across runs, so earlier links stay valid', async () => {
    const first = await stackSecret({}, dir);
    const token = await signToken(
      { uid: 1, name: 'a', role: 'REGULAR' },
      { key: first.key, ttl: 60 },
    );
    const second = await stackSecret({}, dir);
    expect(second.origin).toBe('kept');
    await expect(createTokenVerifier({ key: second.key }).verify(token)).resolves.toBeTruthy();
  });

  it('creates a fresh secret per data directory', async () => {
    const other = mkdtempSync(join(tmpdir(), 'agentauth-secret-'));
    try {
      const a = await stackSecret({}, dir);
      const b = await stackSecret({}, other);
      expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('uses AUTH_JWT_SECRET from the environment and writes nothing', async () => {
    const secret = await stackSecret({ AUTH_JWT_SECRET: 'x'.repeat(40) }, dir);
    expect(secret).toMatchObject({ origin: 'environment', env: {}, path: undefined });
    expect(() => statSync(join(dir, AUTH_CONF_FILE))).toThrow();
  });

  it('refuses the public default secret like the services do', async () => {
    await expect(stackSecret({ AUTH_JWT_SECRET: PUBLIC_DEFAULT_SECRET }, dir)).rejects.toThrow(
      /public default/,
    );
  });

  it('refuses a tampered auth.conf holding a weak secret', async () => {
    writeFileSync(join(dir, AUTH_CONF_FILE), 'auth { jwt { 256-bit-secret = "short" } }\n');
    await expect(stackSecret({}, dir)).rejects.toThrow(/shorter than 32/);
  });
});
