import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { reservePort } from './reserve-port.js';

const knock = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer((c) => c.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('reservePort', () => {
  it('refuses connections while held, serves a listener bound to it, and holds it again after', async () => {
    const reserved = reservePort();
    try {
      expect(reserved.address).toBe(`127.0.0.1:${reserved.port}`);
      expect(await knock(reserved.port)).toBe('ECONNREFUSED');
      // A restart: bound and closed twice while the reservation lasts.
      for (let round = 0; round < 2; round++) {
        const server = await listen(reserved.port);
        expect(await knock(reserved.port)).toBe('connected');
        await close(server);
        expect(await knock(reserved.port)).toBe('ECONNREFUSED');
      }
    } finally {
      reserved.release();
      reserved.release();
    }
  });

  it('gives each reservation its own port', () => {
    const held = Array.from({ length: 20 }, () => reservePort());
    expect(new Set(held.map((r) => r.port)).size).toBe(20);
    for (const r of held) r.release();
  });
});
