import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderNginxConf } from '@agentauth/nginx';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../src/index.js';
import { expectHardened, startHealthy, WEB_USER } from './support.js';

// The web image, run as the chart runs it (uid 101, read-only root, tmpfs /tmp, 128 MiB) on its
// unprivileged port 8080, published on a free loopback port.
let started: Awaited<ReturnType<typeof startHealthy>>;
const dist = join(REPO_ROOT, 'packages/web/dist');

/** The CSP the single-node gateway sends, read from its rendered config. */
function gatewayCsp(): string {
  const conf = renderNginxConf({ staticRoot: '/srv/web' });
  const match = /add_header Content-Security-Policy "([^"]+)" always;/.exec(conf);
  if (!match?.[1]) throw new Error('the gateway config has no Content-Security-Policy');
  return match[1];
}

beforeAll(async () => {
  started = await startHealthy(
    { image: inject('images').web, user: WEB_USER, memory: '128m', containerPort: 8080 },
    '/',
  );
});

describe('the web image', () => {
  it('runs nginx as uid 101, read-only, without capabilities or new privileges', () => {
    expectHardened(started.container, '101', 128 * 1024 * 1024);
  });

  it('serves the built index.html with the gateway’s CSP and security headers', async () => {
    const res = await fetch(`${started.origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(dist, 'index.html'), 'utf8'));
    expect(res.headers.get('content-security-policy')).toBe(gatewayCsp());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves every built asset, immutable, with the CSP header', async () => {
    const assets = readdirSync(join(dist, 'assets'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await fetch(`${started.origin}/assets/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(
        Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(dist, 'assets', asset))),
      ).toBe(true);
      expect(res.headers.get('content-security-policy')).toBe(gatewayCsp());
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('falls back to the app shell for a client-side route, and logs without the query', async () => {
    const res = await fetch(`${started.origin}/agents/42?tab=chat`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(started.container.logs()).toContain('"uri":"/agents/42"');
    expect(started.container.logs()).not.toContain('tab=chat');
  });
});
