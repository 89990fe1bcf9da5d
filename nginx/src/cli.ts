import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findNginx, NginxNotFoundError } from './find-nginx.js';
import { type GatewayInput, GatewayOptionsError } from './gateway-options.js';
import { renderGatewayConf, renderNginxConf } from './render.js';

const USAGE = `Usage: pnpm --filter @agentauth/nginx render -- [options]

Output (default: print to stdout)
  --prefix <dir>                 write <dir>/nginx.conf and create its log and run directories;
                                 then run: nginx -p <dir> -c <dir>/nginx.conf
  --out <file>                   write the config to <file>
  --http-only                    only the http-context part, to include in an existing nginx
                                 (e.g. /etc/nginx/conf.d/agentauth.conf)
  --check                        run nginx -t on the written config

Variables (defaults in brackets)
  --listen <port|addr:port>      [8080]
  --access-control-service <host:port>  [127.0.0.1:9096]
  --agent-service <host:port>[,…] [127.0.0.1:3001]
  --static-root <dir>            [packages/web/dist of this checkout]
  --web-upstream <host:port>     proxy / to the web app's own server (the web image) instead of
                                 serving --static-root
  --log-dir <dir>                [logs, relative to the nginx prefix]
  --run-dir <dir>                [run, relative to the nginx prefix: pid, temp files, auth cache]
  --auth-cache                   cache allow decisions for --auth-cache-seconds [off, 10]
  --user <user [group]>          user directive for a master running as root [none]
  --worker-processes <n|auto>    [auto]
  --benchmark-control-port <port>  BENCHMARK ONLY: unauthenticated loopback route, never in production

Limits under abuse (docs/single-node.md)
  --client-header-timeout <n>    seconds for a whole request head [10]
  --client-body-timeout <n>      seconds between two body reads [10]
  --send-timeout <n>             seconds between two writes to a non-reading client [30]
  --keepalive-timeout <n>        seconds an idle keep-alive connection is kept [15]
  --connections-per-client <n>   concurrent requests and WebSockets per client address [256]
  --unauthenticated-rate <n>     credential-less requests/s per client address [20]
  --unauthenticated-burst <n>    credential-less requests above the rate at once [40]
  --worker-connections <n>       connections per worker [8192]
  --worker-rlimit-nofile <n>     open files per worker [2 x worker-connections]`;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the renderer CLI; returns the exit code. */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const cwd = env.INIT_CWD ?? process.cwd();
  let values: ReturnType<typeof parse>['values'];
  try {
    // `pnpm … render -- --out x` may pass the `--` through.
    ({ values } = parse(argv[0] === '--' ? argv.slice(1) : argv));
  } catch (error) {
    console.error(`render: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const input: GatewayInput = {
    staticRoot: abs(values['static-root'] ?? join(REPO_ROOT, 'packages/web/dist')),
    listen: values.listen,
    accessControlService: values['access-control-service'],
    agentService: values['agent-service'],
    logDir: values['log-dir'],
    runDir: values['run-dir'],
    authCache: values['auth-cache'],
    authCacheSeconds: numberOrUndefined(values['auth-cache-seconds']),
    user: values.user,
    workerProcesses: workers(values['worker-processes']),
    benchmarkControlPort: numberOrUndefined(values['benchmark-control-port']),
    clientHeaderTimeout: numberOrUndefined(values['client-header-timeout']),
    clientBodyTimeout: numberOrUndefined(values['client-body-timeout']),
    sendTimeout: numberOrUndefined(values['send-timeout']),
    keepaliveTimeout: numberOrUndefined(values['keepalive-timeout']),
    connectionsPerClient: numberOrUndefined(values['connections-per-client']),
    unauthenticatedRate: numberOrUndefined(values['unauthenticated-rate']),
    unauthenticatedBurst: numberOrUndefined(values['unauthenticated-burst']),
    workerConnections: numberOrUndefined(values['worker-connections']),
    workerRlimitNofile: numberOrUndefined(values['worker-rlimit-nofile']),
    webUpstream: values['web-upstream'],
  };

  try {
    const text = values['http-only'] ? renderGatewayConf(input) : renderNginxConf(input);
    if (input.benchmarkControlPort !== undefined) {
      console.error(
        'render: WARNING: --benchmark-control-port adds an /api/agents route without gateway authorization. Benchmarks only; never deploy this config.',
      );
    }
    let written: string | undefined;
    let prefix: string | undefined;
    if (values.prefix) {
      prefix = abs(values.prefix);
      written = join(prefix, 'nginx.conf');
      for (const dir of [values['log-dir'] ?? 'logs', values['run-dir'] ?? 'run']) {
        mkdirSync(isAbsolute(dir) ? dir : join(prefix, dir), { recursive: true });
      }
    } else if (values.out) {
      written = abs(values.out);
    }
    if (!written) {
      process.stdout.write(text);
      return 0;
    }
    mkdirSync(dirname(written), { recursive: true });
    writeFileSync(written, text);
    console.error(`render: wrote ${written}`);
    if (values.check) {
      if (values['http-only']) {
        console.error('render: --check needs a complete nginx.conf (drop --http-only).');
        return 2;
      }
      const args = ['-t', ...(prefix ? ['-p', prefix] : []), '-c', written];
      execFileSync(findNginx(env), args, { stdio: 'inherit' });
    }
    if (prefix) console.error(`render: start it with: nginx -p ${prefix} -c ${written}`);
    return 0;
  } catch (error) {
    if (error instanceof GatewayOptionsError || error instanceof NginxNotFoundError) {
      console.error(`render: ${error.message}`);
      return 2;
    }
    if (error instanceof Error && 'status' in error) return 1; // nginx -t printed its reason
    throw error;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      prefix: { type: 'string' },
      out: { type: 'string' },
      'http-only': { type: 'boolean' },
      check: { type: 'boolean' },
      listen: { type: 'string' },
      'access-control-service': { type: 'string' },
      'agent-service': { type: 'string' },
      'static-root': { type: 'string' },
      'log-dir': { type: 'string' },
      'run-dir': { type: 'string' },
      'auth-cache': { type: 'boolean' },
      'auth-cache-seconds': { type: 'string' },
      user: { type: 'string' },
      'worker-processes': { type: 'string' },
      'web-upstream': { type: 'string' },
      'benchmark-control-port': { type: 'string' },
      'client-header-timeout': { type: 'string' },
      'client-body-timeout': { type: 'string' },
      'send-timeout': { type: 'string' },
      'keepalive-timeout': { type: 'string' },
      'connections-per-client': { type: 'string' },
      'unauthenticated-rate': { type: 'string' },
      'unauthenticated-burst': { type: 'string' },
      'worker-connections': { type: 'string' },
      'worker-rlimit-nofile': { type: 'string' },
    },
  });
}

function workers(value: string | undefined): number | 'auto' | undefined {
  return value === undefined || value === 'auto' ? value : Number(value);
}

function numberOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}
