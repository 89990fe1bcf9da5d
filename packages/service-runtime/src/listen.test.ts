import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
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

describe('drainServer and connections that never sent a request', () => {
  const silent = async (url: string) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return socket;
  };

  // A browser preconnect: nothing is running on it, so it must not hold the drain to its bound.
  it('closes a connection that has sent nothing, and finishes as drained', async () => {
    const server = await listen((_req, res) => res.end('ok'), { port: 0, host: '127.0.0.1' });
    const socket = await silent(urlOf(server));
    const ended = once(socket, 'close');
    expect(await drainServer(server, 5_000)).toBe(true);
    await ended;
    expect(socket.destroyed).toBe(true);
  });

  it('lets a connection that has begun its request headers finish the request', async () => {
    const server = await listen((_req, res) => res.end('finished'), {
      port: 0,
      host: '127.0.0.1',
    });
    const socket = await silent(urlOf(server));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.write('GET / HTTP/1.1\r\nHost: a\r\n');
    // Read by the server before the drain starts (a byte is all the rule looks at).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drained = drainServer(server, 5_000);
    socket.write('\r\n');
    expect(await drained).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('finished');
  });

  it('leaves an upgraded connection to whoever took it over', async () => {
    const server = await listen((_req, res) => res.end(), { port: 0, host: '127.0.0.1' });
    const taken = new Promise<Socket>((resolve) => {
      server.on('upgrade', (_req, socket: Socket) => {
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n',
        );
        resolve(socket);
      });
    });
    const client = await silent(urlOf(server));
    client.write('GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n');
    const upgraded = await taken;
    const drained = drainServer(server, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upgraded.destroyed).toBe(false);
    upgraded.destroy();
    expect(await drained).toBe(true);
    client.destroy();
  });
});
