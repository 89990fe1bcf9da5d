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
    expect(err()).toMatch(/PORT is invalid/);
  });

  it('serves on the configured port and stops on SIGTERM', async () => {
    const { child, out } = run({ PORT: '0', DEV_MODEL_DELAY_MS: '0' });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const { url } = JSON.parse(out());
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });
});
