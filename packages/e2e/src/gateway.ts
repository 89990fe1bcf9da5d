import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, renderNginxConf } from '@agentauth/nginx';
import { type Child, freePort, startChild, waitHealthy } from '@agentauth/stack';
import { outputBuffer } from './output-buffer.js';
import { writeStaticSite } from './static-site.js';

/** A real nginx running the rendered gateway config on a loopback port. */
export interface RunningGateway {
  readonly port: number;
  readonly origin: string;
  readonly child: Child;
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Renders the gateway with @agentauth/nginx in front of the given upstreams (real services or
 * stand-ins) and starts nginx in the foreground. Throws NginxNotFoundError, whose message says how
 * to install nginx, when there is none: tests that need it fail, they never skip.
 * @example const gw = await startGateway({ accessControlService: acs.address, agentService: rec.address })
 */
export async function startGateway(upstreams: {
  readonly accessControlService: string;
  readonly agentService: string;
}): Promise<RunningGateway> {
  const nginx = findNginx(process.env);
  const prefix = mkdtempSync(join(tmpdir(), 'agentauth-e2e-nginx-'));
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'run']) mkdirSync(join(prefix, dir));
  const port = await freePort();
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(
    confPath,
    renderNginxConf({
      ...upstreams,
      // The suites behind this gateway send thousands of token-less requests from one address to
      // check decisions; the credential-less rate limit has its own tests.
      unauthenticatedRate: 100_000,
      unauthenticatedBurst: 100_000,
      listen: `127.0.0.1:${port}`,
      staticRoot: writeStaticSite(join(prefix, 'www')),
      logDir: 'logs',
      runDir: 'run',
      user: process.getuid?.() === 0 ? 'root' : undefined,
    }),
  );
  const args = ['-p', prefix, '-c', confPath];
  const check = spawnSync(nginx, ['-t', '-q', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the rendered config:\n${check.stderr}`);
  const out = outputBuffer();
  const child = startChild(
    { name: 'nginx', command: nginx, args: [...args, '-g', 'daemon off;'], env: process.env },
    out.print,
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${origin}/`, child, { timeoutMs: 10_000 });
  } catch (error) {
    await child.stop(2_000);
    throw new Error(`${(error as Error).message}\n${out.text()}`);
  }
  return {
    port,
    origin,
    child,
    accessLog: () => readFileSync(join(prefix, 'logs', 'access.log'), 'utf8'),
    stop: async () => {
      await child.stop(5_000);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
