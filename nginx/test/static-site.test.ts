import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PortReservation, reservePort, waitForPort } from '@agentauth/service-runtime/process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  findNginx,
  renderNginxConf,
  renderStaticSiteConf,
  writePlaceholderSite,
} from '../src/index.js';
import { startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';

// The web image's nginx (renderStaticSiteConf) must serve the app exactly as the gateway does:
// same security headers, same caching, same SPA fallback; and nothing under /api.
const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
];

let work: string;
let site: ChildProcess | undefined;
let reservation: PortReservation | undefined;
let siteOrigin: string;
let gw: RunningGateway;
let closeUpstream: () => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agentauth-static-site-'));
  chmodSync(work, 0o755);
  const root = writePlaceholderSite(join(work, 'www'));
  const run = join(work, 'run');
  mkdirSync(run);
  chmodSync(run, 0o777);
  reservation = reservePort();
  const { port } = reservation;
  const conf = join(work, 'nginx.conf');
  writeFileSync(
    conf,
    renderStaticSiteConf({
      staticRoot: root,
      runDir: run,
      listen: `127.0.0.1:${port}`,
      // A root master (CI) needs a user for its workers; the image runs unprivileged and needs none.
      ...(process.getuid?.() === 0 ? { user: 'root' } : {}),
    }),
  );
  const nginx = findNginx(process.env);
  // The access log is /dev/stdout: give nginx a file there (Node's pipes are sockets, which
  // cannot be opened through /dev/stdout), as the container runtime gives it a pipe.
  const stdout = openSync(join(work, 'stdout.log'), 'a');
  const check = spawnSync(nginx, ['-t', '-q', '-c', conf], {
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
  });
  expect(check.stderr).toBe('');
  site = spawn(nginx, ['-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', stdout, 'pipe'] });
  const running = site;
  await waitForPort(port, '127.0.0.1', {
    name: 'static-site nginx',
    isRunning: () => running.exitCode === null && running.signalCode === null,
  });
  siteOrigin = `http://127.0.0.1:${port}`;

  const upstream = await startRecordingServer(() => ({ status: 200 }));
  closeUpstream = () => upstream.close();
  gw = await startGateway({
    accessControlService: upstream.address,
    agentService: upstream.address,
    staticRoot: root,
  });
});

afterAll(async () => {
  site?.kill('SIGQUIT');
  reservation?.release();
  await gw?.stop();
  await closeUpstream?.();
  rmSync(work, { recursive: true, force: true });
});

describe('renderStaticSiteConf (the web image)', () => {
  it.each([
    ['/', 'no-cache'],
    ['/agents/42', 'no-cache'],
    ['/assets/index-abc123.js', 'public, max-age=31536000, immutable'],
  ])('serves %s with the gateway’s security headers and caching', async (path, cacheControl) => {
    const [fromSite, fromGateway] = await Promise.all([
      fetch(`${siteOrigin}${path}`),
      fetch(`${gw.origin}${path}`),
    ]);
    expect(fromSite.status).toBe(200);
    expect(fromSite.headers.get('cache-control')).toBe(cacheControl);
    for (const name of SECURITY_HEADERS) {
      expect(fromSite.headers.get(name), name).toBeTruthy();
      expect(fromSite.headers.get(name), name).toBe(fromGateway.headers.get(name));
    }
    expect(fromSite.headers.get('content-type')).toBe(fromGateway.headers.get('content-type'));
    expect(await fromSite.text()).toBe(await fromGateway.text());
  });

  it('answers 404 for a missing asset', async () => {
    expect((await fetch(`${siteOrigin}/assets/missing-1.js`)).status).toBe(404);
  });

  it('has no API location and no upstream', () => {
    const conf = renderStaticSiteConf({ staticRoot: '/srv/web', runDir: '/tmp' });
    expect(conf).not.toMatch(/upstream|proxy_pass|auth_request|\/api/);
    expect(conf).toMatch(/^pid \/tmp\/nginx\.pid;$/m);
    expect(conf).toContain('access_log /dev/stdout');
  });

  it('has a user directive only when given one (a root master; the image runs unprivileged)', () => {
    const conf = (user?: string) =>
      renderStaticSiteConf({ staticRoot: '/srv/web', runDir: '/tmp', ...(user ? { user } : {}) });
    expect(conf('nginx')).toMatch(/^user nginx;\nworker_processes auto;$/m);
    expect(conf()).not.toMatch(/^\s*user /m);
  });

  it('logs requests to stdout without their query', async () => {
    await (await fetch(`${siteOrigin}/agents/7?secret-looking=1`)).text();
    // nginx writes the line once the answer is sent; wait for it (bounded).
    const entry = await vi.waitFor(() => {
      const lines = readFileSync(join(work, 'stdout.log'), 'utf8').trim().split('\n');
      const found = lines.map((l) => JSON.parse(l)).find((e) => e.uri.startsWith('/agents/7'));
      if (!found) throw new Error('no access log line yet');
      return found;
    });
    expect(entry.uri).toBe('/agents/7');
    expect(readFileSync(join(work, 'stdout.log'), 'utf8')).not.toContain('secret-looking');
  });

  it('reuses the gateway’s header lines verbatim', () => {
    const site = renderStaticSiteConf({ staticRoot: '/srv/web', runDir: '/tmp' });
    const gateway = renderNginxConf({ staticRoot: '/srv/web' });
    const headerLines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('add_header'));
    expect(headerLines(site).length).toBeGreaterThanOrEqual(SECURITY_HEADERS.length * 2);
    expect(headerLines(gateway)).toEqual(expect.arrayContaining(headerLines(site)));
  });
});

describe('the gateway with webUpstream (the web image behind it)', () => {
  let proxied: RunningGateway;
  let web: Awaited<ReturnType<typeof startRecordingServer>>;
  let viaSite: RunningGateway;

  beforeAll(async () => {
    web = await startRecordingServer(() => ({
      status: 200,
      headers: { 'content-type': 'text/html', 'content-security-policy': "default-src 'self'" },
      body: '<div id="root"></div>',
    }));
    const upstream = await startRecordingServer(() => ({ status: 200 }));
    proxied = await startGateway({
      accessControlService: upstream.address,
      agentService: upstream.address,
      webUpstream: web.address,
    });
    viaSite = await startGateway({
      accessControlService: upstream.address,
      agentService: upstream.address,
      webUpstream: siteOrigin.replace('http://', ''),
    });
  });

  afterAll(async () => {
    await proxied?.stop();
    await viaSite?.stop();
    await web?.close();
  });

  it('proxies / to the web server without the token or cookies', async () => {
    const res = await fetch(`${proxied.origin}/agents/3`, {
      headers: { authorization: 'Bearer not-for-the-web-server', cookie: 'session=1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'self'");
    const seen = web.requests.at(-1);
    expect(seen?.url).toBe('/agents/3');
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers.cookie).toBeUndefined();
  });

  it('passes the web image’s headers through unchanged, once', async () => {
    const [direct, through] = await Promise.all([
      fetch(`${siteOrigin}/assets/index-abc123.js`),
      fetch(`${viaSite.origin}/assets/index-abc123.js`),
    ]);
    expect(through.status).toBe(200);
    for (const name of [...SECURITY_HEADERS, 'cache-control', 'content-type']) {
      expect(through.headers.get(name), name).toBe(direct.headers.get(name));
    }
  });

  it('still keeps /api/agents behind auth_request and /api/ otherwise a 404', async () => {
    expect((await fetch(`${proxied.origin}/api/other`)).status).toBe(404);
    expect(renderNginxConf({ staticRoot: '/srv', webUpstream: '127.0.0.1:8081' })).toContain(
      'auth_request /_agentauth/authorize;',
    );
  });
});
