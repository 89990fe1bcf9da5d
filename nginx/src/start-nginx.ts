import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Child,
  outputBuffer,
  startChild,
  waitUntil,
} from '@agentauth/service-runtime/process';
import { findNginx } from './find-nginx.js';
import type { GatewayInput } from './gateway-options.js';
import { writePlaceholderSite } from './placeholder-site.js';
import { renderNginxConf } from './render.js';

/** What `startNginx` needs: the gateway's options, minus what the launcher decides itself. */
export type NginxLaunch = Omit<GatewayInput, 'listen' | 'logDir' | 'runDir' | 'staticRoot'> & {
  /** `address:port` to listen on; default `127.0.0.1:<a free port>`. */
  readonly listen?: string;
  /** The built web app; default a placeholder site in the prefix. */
  readonly staticRoot?: string;
  /** nginx's prefix (config, `logs/`, `run/`); default a fresh temp folder, removed by `stop()`. */
  readonly prefix?: string;
  /** Where `NGINX_BIN`/`PATH` are read and what nginx inherits; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Receives nginx's own output lines as `[nginx] …`; default: the last 2,000 are kept for the
   * start-up error.
   */
  readonly print?: (line: string) => void;
  /** Width the `[nginx]` prefix is padded to (aligned with other processes' output). */
  readonly printWidth?: number;
};

/** A real nginx running the rendered gateway in the foreground. */
export interface RunningNginx {
  /** `http://<host>:<port>` to reach it (a wildcard listen address is reached on 127.0.0.1). */
  readonly origin: string;
  readonly port: number;
  readonly prefix: string;
  /** The rendered nginx.conf. */
  readonly config: string;
  readonly logPaths: { readonly access: string; readonly error: string };
  readonly child: Child;
  accessLog(): string;
  errorLog(): string;
  /** SIGTERM (SIGKILL after `graceMs`); a temp prefix is removed. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The one way to run the gateway: renders it with `renderNginxConf` into a prefix with `logs/`
 * and `run/`, checks it with `nginx -t`, starts `nginx -g 'daemon off;'` and resolves once it
 * accepts connections. Throws NginxNotFoundError (with the install hint) when nginx is missing.
 * @example const gw = await startNginx({ accessControlService: '127.0.0.1:9096', agentService: '127.0.0.1:3001' })
 */
export async function startNginx(launch: NginxLaunch): Promise<RunningNginx> {
  const {
    prefix: given,
    env = process.env,
    print,
    printWidth = 0,
    listen: wanted,
    staticRoot,
    ...input
  } = launch;
  const nginx = findNginx(env);
  const prefix = given ?? mkdtempSync(join(tmpdir(), 'agentauth-nginx-'));
  mkdirSync(prefix, { recursive: true });
  // Workers may run as another user than the caller (root master); let them read the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'run']) mkdirSync(join(prefix, dir), { recursive: true });
  // Without a given address, the port is bound here (port 0) and nginx inherits the bound socket
  // (its NGINX variable, as in a binary upgrade): no port is probed free and released for another
  // process to take before nginx binds it.
  const held = wanted === undefined ? await bindLoopback() : undefined;
  const listen = wanted ?? `127.0.0.1:${(held?.address() as { port: number } | null)?.port}`;
  const config = renderNginxConf({
    ...input,
    listen,
    staticRoot: staticRoot ?? writePlaceholderSite(join(prefix, 'www')),
    logDir: 'logs',
    runDir: 'run',
    // A root master would run workers as nobody, who may not read the checkout.
    user: input.user ?? (process.getuid?.() === 0 ? 'root' : undefined),
  });
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, config);
  const removePrefix = () => {
    if (given === undefined) rmSync(prefix, { recursive: true, force: true });
  };
  const args = ['-p', prefix, '-c', confPath];
  const check = spawnSync(nginx, ['-t', '-q', ...args], { encoding: 'utf8' });
  if (check.status !== 0) {
    held?.close();
    removePrefix();
    throw new Error(`nginx -t refused the rendered config:\n${check.stderr}`);
  }
  const output = outputBuffer();
  const child = startChild(
    {
      name: 'nginx',
      command: nginx,
      args: [...args, '-g', 'daemon off;'],
      env: held ? { ...env, NGINX: '3;' } : env,
      ...(held ? { inheritFds: [socketFd(held)] } : {}),
    },
    print ?? output.print,
    printWidth,
  );
  // The child holds its own copy of the socket from here on; this process needs none.
  held?.close();
  const separator = listen.lastIndexOf(':');
  const port = Number(listen.slice(separator + 1));
  const bound = separator < 0 ? '' : listen.slice(0, separator);
  const host = ['', '0.0.0.0', '[::]', '*'].includes(bound) ? '127.0.0.1' : bound;
  const stop = async (graceMs = 5_000) => {
    await child.stop(graceMs);
    removePrefix();
  };
  try {
    // With an inherited socket the port accepts connections before nginx runs at all, so a
    // connect proves nothing; the master's pid file does (written once every listener is open).
    await pidFileWritten(join(prefix, 'run', 'nginx.pid'), child);
  } catch (error) {
    await stop(2_000);
    throw new Error(`${(error as Error).message}\n${output.text()}`);
  }
  const logPaths = {
    access: join(prefix, 'logs', 'access.log'),
    error: join(prefix, 'logs', 'error.log'),
  };
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    origin: `http://${host}:${port}`,
    port,
    prefix,
    config,
    logPaths,
    child,
    accessLog: () => read(logPaths.access),
    errorLog: () => read(logPaths.error),
    stop,
  };
}

/** A listening socket on 127.0.0.1 with a port the OS picked, kept open for a child to inherit. */
function bindLoopback(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** The descriptor of a listening server (Node keeps it on the handle; there is no public getter). */
function socketFd(server: Server): number {
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('The listening socket has no descriptor.');
  return fd;
}

/**
 * Resolves once the nginx master has written its pid file: it does so after opening every
 * listener of the config, so from then on connections are accepted (or queued) by nginx itself.
 * Fails when the child exits first or after 15 s.
 */
function pidFileWritten(path: string, child: Child): Promise<void> {
  const written = () => {
    try {
      return Number(readFileSync(path, 'utf8').trim()) === child.pid;
    } catch {
      return false; // not written yet
    }
  };
  return waitUntil(child, `write ${path}`, written, { timeoutMs: 15_000, intervalMs: 20 });
}
