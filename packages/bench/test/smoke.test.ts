import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchResult } from '../src/result.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'agentauth-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Proves the whole benchmark runs and writes a complete result file. Figures are never asserted:
// speed is reported by `pnpm bench`, not tested.
describe('pnpm bench --quick', () => {
  it('runs every suite end to end and writes a result file of the documented shape', async () => {
    const out = join(dir, 'latest.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [MAIN, '--quick', '--connections', '1', '--users', '20', '--sockets', '10', '--out', out],
      { timeout: 110_000, maxBuffer: 4 * 1024 * 1024 },
    );
    const result = BenchResult.parse(JSON.parse(readFileSync(out, 'utf8')));

    expect(result.settings).toMatchObject({ mode: 'quick', connections: [1], users: 20 });
    expect(result.verification.map((r) => r.id)).toEqual([
      'raw-hmac',
      'jose',
      'auth-core-uncached',
      'auth-core-uncached-in-flight',
      'auth-core-raw-key',
      'forged',
      'forged-in-flight',
      'cache-hit',
      'cache-hit-many',
    ]);
    expect(result.verification.map((r) => r.inFlight)).toEqual([1, 1, 1, 16, 1, 1, 16, 1, 1]);
    expect(result.http.map((r) => `${r.suite}/${r.id}`).sort()).toEqual(
      [
        'decision/node-hello',
        'decision/express-hello',
        'decision/acs-envoy',
        'decision/acs-nginx',
        'decision/acs-envoy-many',
        'decision/acs-nginx-many',
        'decision/acs-envoy-forged',
        'gateway/control',
        'gateway/auth',
        'gateway/auth-cached',
        'gateway/control-many',
        'gateway/auth-many',
        'gateway/auth-cached-many',
        'service/healthcheck',
        'service/agents',
        'service/agents-many',
        'replicas/sqlite',
        'replicas/postgres',
        'replicas/gateway-one-replica',
        'replicas/gateway-two-replicas',
      ].sort(),
    );
    expect(result.http.find((r) => r.id === 'auth')?.vs).toHaveProperty('control');
    expect(result.handshakes.map((r) => r.id)).toEqual([
      'ws-hello',
      'agent-ws',
      'agent-ws-many',
      'agent-ws-sqlite',
      'agent-ws-postgres',
    ]);
    expect(result.http.find((r) => r.id === 'postgres')?.vs).toHaveProperty('sqlite');
    expect(result.eventLatency?.runs).toBe(5);
    expect(result.eventLatency?.events).toBeGreaterThan(0);
    expect(result.socketMemory?.sockets).toBe(10);
    expect(result.abuse?.idleSockets).toBe(20);
    expect(result.abuse?.stormUpgrades).toBeGreaterThan(0);
    expect(result.quota).toMatchObject({ agents: 20, concurrentRunsLimit: 3 });
    expect(result.quota?.noisyCallsPerSec).toBeGreaterThan(0);
    // Every target was evaluated (met or missed), none left unmeasured.
    expect(result.targets).toHaveLength(18);
    for (const target of result.targets) expect(typeof target.met).toBe('boolean');
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.nginx).toMatch(/\d+\.\d+/);

    expect(stdout).toContain('### Targets (reported, not asserted)');
    expect(stdout).toContain('### Per-user limits');
    // A copy with a timestamp is kept beside latest.json.
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(dir, `${result.startedAt.replace(/[:.]/g, '-')}-quick.json`), 'utf8'),
    );
  }, 120_000);
});
