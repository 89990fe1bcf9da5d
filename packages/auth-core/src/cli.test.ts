import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { TEST_KEY, TEST_SECRET } from './testing/test-secret.js';
import { createTokenVerifier } from './token-verifier.js';

async function run(argv: string[], env: Record<string, string> = { AUTH_JWT_SECRET: TEST_SECRET }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    env,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('agentauth CLI', () => {
  it('prints a token the services accept', async () => {
    const { code, out } = await run([
      'token',
      '--uid',
      '7',
      '--name',
      'alice',
      '--email',
      'a@x',
      '--role',
      'REGULAR',
      '--ttl',
      '1h',
    ]);
    expect(code).toBe(0);
    const verifier = createTokenVerifier({
      key: TEST_KEY,
    });
    await expect(verifier.verify(out)).resolves.toMatchObject({
      user: { uid: 7, name: 'alice', email: 'a@x', role: 'REGULAR' },
    });
  });

  it.each([
    [['token', '--name', 'a'], /--uid must be an integer/],
    [['token', '--uid', '1'], /--name is required/],
    [['token', '--uid', '1', '--name', 'a', '--role', 'admin'], /--role must be one of/],
    [['token', '--uid', '1', '--name', 'a', '--ttl', 'forever'], /not a duration/],
    [['token', '--uid', '1', '--name', 'a', '--bogus'], /Unknown option/],
  ])('refuses %j with a clear message', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('refuses to sign with the public default secret', async () => {
    const { code, err } = await run(['token', '--uid', '1', '--name', 'a'], {
      AUTH_JWT_SECRET: '8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d',
    });
    expect(code).toBe(2);
    expect(err).toMatch(/public default/);
  });

  it('prints a fresh 64-hex-character secret', async () => {
    const a = await run(['secret']);
    const b = await run(['secret']);
    expect(a.out).toMatch(/^[0-9a-f]{64}$/);
    expect(a.out).not.toBe(b.out);
  });
});
