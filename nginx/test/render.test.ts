import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MESSAGES,
  IDENTITY_HEADERS,
  REDACTED,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import {
  findNginx,
  GATEWAY_DEFAULTS,
  type GatewayInput,
  GatewayOptionsError,
  renderGatewayConf,
  renderNginxConf,
} from '../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'agentauth-render-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base: GatewayInput = { staticRoot: '/srv/agentauth/web' };
const asRoot = process.getuid?.() === 0 ? { user: 'root' } : {};

/** `nginx -t` on a config inside its own prefix; returns nginx's complaint, or '' when valid. */
function nginxTest(config: string, extraFiles: Record<string, string> = {}): string {
  const prefix = mkdtempSync(join(work, 'p-'));
  for (const dir of ['logs', 'run']) mkdirSync(join(prefix, dir));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(prefix, name), text);
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const result = spawnSync(
    findNginx(process.env),
    ['-t', '-q', '-p', prefix, '-c', join(prefix, 'nginx.conf')],
    { encoding: 'utf8' },
  );
  return result.status === 0 ? '' : result.stderr;
}

describe('renderNginxConf', () => {
  it.each<[string, Partial<GatewayInput>]>([
    ['the defaults', {}],
    ['the auth cache on', { authCache: true, authCacheSeconds: 5 }],
    ['the benchmark control route', { benchmarkControlPort: 18_081 }],
    [
      'an address:port listen and unix upstreams',
      {
        listen: '127.0.0.1:8443',
        accessControlService: 'unix:/run/agentauth/acs.sock',
        agentService: 'localhost:3001',
      },
    ],
    ['absolute log and run directories', { logDir: '/var/log/agentauth', runDir: '/var/lib/x' }],
    ['one worker process', { workerProcesses: 1 }],
    [
      'every abuse limit set',
      {
        clientHeaderTimeout: 5,
        clientBodyTimeout: 7,
        sendTimeout: 60,
        keepaliveTimeout: 0,
        connectionsPerClient: 1000,
        unauthenticatedRate: 100,
        unauthenticatedBurst: 1,
        workerConnections: 65_536,
        workerRlimitNofile: 140_000,
      },
    ],
    ['two agent-service replicas', { agentService: '127.0.0.1:3001, 127.0.0.1:3002' }],
  ])('passes nginx -t with %s', (_, options) => {
    const config = renderNginxConf({
      ...base,
      ...asRoot,
      ...options,
      logDir: 'logs',
      runDir: 'run',
    });
    expect(nginxTest(config)).toBe('');
  });

  it('uses the documented defaults', () => {
    const config = renderNginxConf(base);
    expect(config).toContain(`listen ${GATEWAY_DEFAULTS.listen} default_server;`);
    expect(config).toContain('server 127.0.0.1:9096;');
    expect(config).toContain('server 127.0.0.1:3001;');
    expect(config).toContain('root "/srv/agentauth/web";');
    expect(config).not.toContain('proxy_cache ');
    expect(config).not.toContain('BENCHMARK ONLY');
    expect(config).not.toMatch(/^\s*user /m);
    expect(config).toContain('worker_processes auto;');
  });

  it('renders the abuse limits with their documented defaults', () => {
    const config = renderNginxConf(base);
    expect(config).toContain('worker_connections 8192;');
    expect(config).toContain('worker_rlimit_nofile 16384;');
    expect(config).toContain('client_header_timeout 10s;');
    expect(config).toContain('client_body_timeout 10s;');
    expect(config).toContain('send_timeout 30s;');
    expect(config).toContain('keepalive_timeout 15s;');
    expect(config).toContain('reset_timedout_connection on;');
    expect(config).toContain('limit_conn agentauth_per_client 256;');
    expect(config).toContain('rate=20r/s;');
    // Every agent location rate-limits credential-less requests and answers 429 in JSON.
    const agentLocations = config
      .split(/\n\s*location /)
      .filter((l) => l.includes('proxy_pass http://agentauth_agent_service;'));
    expect(agentLocations).toHaveLength(3);
    for (const l of agentLocations) {
      expect(l).toContain('limit_req zone=agentauth_unauthenticated burst=40 nodelay;');
      expect(l).toContain('error_page 429 = @agentauth_rate_limited;');
    }
  });

  it('puts every agent-service replica of a comma list in the one upstream', () => {
    const config = renderGatewayConf({ ...base, agentService: '127.0.0.1:3001,127.0.0.1:3002' });
    const upstream = /upstream agentauth_agent_service \{([^}]*)\}/.exec(config)?.[1] ?? '';
    // Never marked down for everyone: a restarting replica is skipped request by request.
    expect(upstream.match(/server [^;]+;/g)).toEqual([
      'server 127.0.0.1:3001 max_fails=0;',
      'server 127.0.0.1:3002 max_fails=0;',
    ]);
    expect(() => renderGatewayConf({ ...base, agentService: '127.0.0.1:3001,;x' })).toThrow(
      GatewayOptionsError,
    );
  });

  it('never leaves template syntax behind', () => {
    const config = renderNginxConf({ ...base, authCache: true, benchmarkControlPort: 9 });
    expect(config).not.toMatch(/\{\{|^\s*##/m);
  });

  it('asks the authorize endpoint exactly as the nginx shape of the contract says', () => {
    const config = renderNginxConf(base);
    expect(config).toContain('proxy_pass http://agentauth_access_control/api/auth;');
    expect(config).toContain('proxy_method GET;');
    expect(config).toContain('proxy_set_header X-Original-URI $request_uri;');
    expect(config).toContain('proxy_set_header X-Original-Method $request_method;');
    expect(config).toContain('proxy_pass_request_body off;');
    expect(config).toContain('proxy_set_header Content-Length "";');
  });

  it('puts the auth subrequest in front of every location that reaches the agent-service', () => {
    const config = renderNginxConf({ ...base, benchmarkControlPort: 18_082 });
    const gateway = config.slice(0, config.indexOf('BENCHMARK ONLY'));
    const locations = gateway.split(/\n\s*location /).slice(1);
    const proxied = locations.filter((l) =>
      l.includes('proxy_pass http://agentauth_agent_service'),
    );
    expect(proxied).toHaveLength(3);
    for (const location of proxied)
      expect(location).toContain('auth_request /_agentauth/authorize;');
  });
});

describe('header names and codes come from auth-core (no drift)', () => {
  const config = renderNginxConf({ ...base, benchmarkControlPort: 18_083 });

  it('sets exactly the identity headers of auth-core on the upstream request', () => {
    const set = [...config.matchAll(/proxy_set_header (x-user-[\w-]+) \$/gi)].map((m) => m[1]);
    expect(new Set(set)).toEqual(new Set(IDENTITY_HEADERS));
    expect(set).toHaveLength(IDENTITY_HEADERS.length * 3);
  });

  it('captures exactly those headers from the authorize answer', () => {
    const captured = [...config.matchAll(/\$upstream_http_(x_user_\w+)/g)].map((m) => m[1]);
    expect(new Set(captured)).toEqual(new Set(IDENTITY_HEADERS.map((h) => h.replaceAll('-', '_'))));
  });

  it('clears exactly those headers on the benchmark route', () => {
    const cleared = [...config.matchAll(/proxy_set_header (x-user-[\w-]+) "";/g)].map((m) => m[1]);
    expect(cleared).toEqual([...IDENTITY_HEADERS]);
  });

  it('spells no other x-user header anywhere', () => {
    const spelled = [...config.matchAll(/x[-_]user[-_][a-z]+/gi)].map((m) =>
      m[0].toLowerCase().replaceAll('_', '-'),
    );
    for (const name of spelled) expect(IDENTITY_HEADERS).toContain(name);
  });

  it('maps the challenge of every 401 code to that code and its message', () => {
    for (const code of AUTH_ERROR_CODES.filter((c) => statusForCode(c) === 401)) {
      const challenge = wwwAuthenticate(code) as string;
      const escaped = challenge.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replaceAll('\\', '\\\\');
      expect(config).toContain(`"~^${escaped.replaceAll('"', '\\"')}$" ${code};`);
      expect(config).toContain(`"${AUTH_ERROR_MESSAGES[code]}";`);
    }
  });

  it("redacts the log's query with auth-core's marker", () => {
    expect(config).toContain(`?${REDACTED}"`);
  });
});

describe('renderGatewayConf (http-only)', () => {
  it('passes nginx -t when included into an existing http block', () => {
    const gateway = renderGatewayConf({ ...base, logDir: 'logs', runDir: 'run', authCache: true });
    const host = [
      'events {}',
      'http {',
      '    default_type application/octet-stream;',
      '    client_body_temp_path run/client_body;',
      '    proxy_temp_path run/proxy;',
      '    include agentauth.conf;',
      '}',
    ].join('\n');
    expect(nginxTest(host, { 'agentauth.conf': gateway })).toBe('');
    expect(gateway).not.toMatch(/^(events|http|pid|worker_processes)\b/m);
  });
});

describe('option validation', () => {
  it.each<[string, Partial<GatewayInput>, RegExp]>([
    ['a directive in listen', { listen: '8080; include /etc/passwd' }, /listen/],
    ['a port out of range', { listen: '70000' }, /listen/],
    ['a relative static root', { staticRoot: 'packages/web/dist' }, /staticRoot/],
    ['a static root with a variable', { staticRoot: '/srv/$host' }, /staticRoot/],
    ['a static root with a quote', { staticRoot: '/srv/"x' }, /staticRoot/],
    ['a static root with a space', { staticRoot: '/srv/my web' }, /staticRoot/],
    ['an upstream with a block', { agentService: '127.0.0.1:3001; } server {' }, /agentService/],
    ['an upstream without a port', { accessControlService: '127.0.0.1' }, /accessControlService/],
    ['a log dir with a brace', { logDir: 'logs}' }, /logDir/],
    ['a cache lifetime of zero', { authCacheSeconds: 0 }, /authCacheSeconds/],
    ['a benchmark port of zero', { benchmarkControlPort: 0 }, /benchmarkControlPort/],
    ['a user with a directive', { user: 'root; daemon on' }, /user/],
    ['zero worker processes', { workerProcesses: 0 }, /workerProcesses/],
    ['a header timeout of zero', { clientHeaderTimeout: 0 }, /clientHeaderTimeout/],
    ['too few worker connections', { workerConnections: 100 }, /workerConnections/],
    ['a fractional rate', { unauthenticatedRate: 1.5 }, /unauthenticatedRate/],
    ['no connections per client', { connectionsPerClient: 0 }, /connectionsPerClient/],
  ])('refuses %s in one sentence naming the option', (_, options, name) => {
    expect(() => renderNginxConf({ ...base, ...options })).toThrow(GatewayOptionsError);
    expect(() => renderNginxConf({ ...base, ...options })).toThrow(name);
  });
});

describe('the render CLI', () => {
  const run = (args: string[]) => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...parts: unknown[]) => errors.push(parts.join(' '));
    try {
      return { code: main(args, { ...process.env, INIT_CWD: work }), stderr: errors.join('\n') };
    } finally {
      console.error = original;
    }
  };

  it('writes a checked config and its directories with --prefix', () => {
    const args = [
      '--',
      '--prefix',
      'site',
      '--static-root',
      '/srv/web',
      '--listen',
      '127.0.0.1:18084',
    ];
    const { code, stderr } = run([...args, '--check', ...(asRoot.user ? ['--user', 'root'] : [])]);
    expect(stderr).toContain('start it with: nginx -p');
    expect(code).toBe(0);
    const conf = readFileSync(join(work, 'site', 'nginx.conf'), 'utf8');
    expect(conf).toContain('listen 127.0.0.1:18084 default_server;');
    expect(existsSync(join(work, 'site', 'logs'))).toBe(true);
    expect(existsSync(join(work, 'site', 'run'))).toBe(true);
  });

  it('writes the http-only part with --out', () => {
    const { code } = run(['--out', 'conf.d/agentauth.conf', '--http-only', '--auth-cache']);
    expect(code).toBe(0);
    const conf = readFileSync(join(work, 'conf.d', 'agentauth.conf'), 'utf8');
    expect(conf).toContain('proxy_cache agentauth_auth;');
    expect(conf).not.toContain('worker_processes');
  });

  it('warns loudly when the benchmark control route is rendered', () => {
    const { code, stderr } = run(['--out', 'bench.conf', '--benchmark-control-port', '18085']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/WARNING.*never deploy/);
  });

  it('refuses a bad option and an unknown flag with exit code 2', () => {
    expect(run(['--out', 'x.conf', '--listen', 'nope']).code).toBe(2);
    expect(run(['--listne', '8080']).code).toBe(2);
    expect(run(['--out', 'x.conf', '--static-root', '/srv/a b']).stderr).toMatch(/staticRoot/);
  });
});
