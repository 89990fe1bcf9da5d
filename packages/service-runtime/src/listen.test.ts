import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ListenError } from './config-error.js';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, listen, urlOf } from './listen.js';
import { drainServer } from './shutdown.js';

describe('listen', () => {
  it('keeps idle connections longer than nginx keeps its upstream pool (60 s)', async () => {
    const server = await listen((_req, res) => res.end('ok'), { port: 0, host: '127.0.0.1' });
    try {
      expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
      expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
      expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
      expect(await (await fetch(urlOf(server))).text()).toBe('ok');
    } finally {
      await drainServer(server);
    }
  });

  it('refuses a taken port with one sentence naming the variable', async () => {
    const taken = await listen((_req, res) => res.end(), { port: 0, host: '127.0.0.1' });
    const port = Number(new URL(urlOf(taken)).port);
    try {
      const attempt = listen((_req, res) => res.end(), {
        port,
        host: '127.0.0.1',
        portVariable: 'METRICS_PORT',
      });
      await expect(attempt).rejects.toThrow(ListenError);
      await expect(attempt).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${port} (EADDRINUSE); set METRICS_PORT or HOST to a free local address.`,
      );
    } finally {
      await drainServer(taken);
    }
  });
});

describe('drainServer', () => {
  it('lets an in-flight request finish, refusing new connections meanwhile', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await listen(
      (_req, res) => {
        arrived();
        void held.then(() => res.end('finished'));
      },
      { port: 0, host: '127.0.0.1' },
    );
    const url = urlOf(server);
    const answer = new Promise<string>((resolve, reject) => {
      request(url, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    await inFlight;
    const drained = drainServer(server, 10_000);
    await expect(fetch(url)).rejects.toThrow();
    release();
    expect(await answer).toBe('finished');
    expect(await drained).toBe(true);
  });

  it('cuts what is still running after the bound and says so', async () => {
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await listen(() => arrived(), { port: 0, host: '127.0.0.1' });
    const answer = fetch(urlOf(server)).then(
      () => 'answered',
      () => 'cut',
    );
    await inFlight;
    expect(await drainServer(server, 50)).toBe(false);
    expect(await answer).toBe('cut');
  });
});
