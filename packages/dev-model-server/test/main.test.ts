import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], { env: { ...env, PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return { child, out: () => stdout, err: () => stderr };
}

describe('main (built entry point)', () => {
  it('exits 1 with one sentence on a bad variable', async () => {
    const { child, err } = run({ PORT: 'nope' });
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(err().trim().split('\n')).toHaveLength(1);
    expect(err()).toBe('dev-model-server: PORT must be a whole number between 0 and 65535.\n');
  });

  it('serves on the configured port and stops on SIGTERM', async () => {
    const { child, out } = run({ PORT: '0', DEV_MODEL_DELAY_MS: '0' });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const line = JSON.parse(out().split('\n')[0] ?? '{}');
    // The one log shape of every service (pino, named).
    expect(line).toMatchObject({
      level: 30,
      name: 'dev-model-server',
      msg: 'dev model server listening',
    });
    const res = await fetch(`${line.url}/api/healthcheck`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });
});
