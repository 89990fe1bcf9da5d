import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (the OS picks it). Used to start a stack beside
 * another one (tests, benchmarks) without fixed ports.
 * @example const port = await freePort()
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No port was assigned.');
  return address.port;
}
