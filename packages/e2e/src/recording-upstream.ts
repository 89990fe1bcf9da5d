import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as an upstream received it. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names exactly as sent, in order (repeats kept). */
  readonly headerNames: readonly string[];
  readonly body: string;
  readonly upgrade: boolean;
}

/** A real HTTP server that records every request (and upgrade) it parses, answering 200 `{}`. */
export interface RecordingUpstream {
  readonly address: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

/**
 * Stands in for the agent-service, so a test sees exactly what the gateway forwards: method,
 * raw target, every header and the body. Upgrades are recorded and never accepted (no 101).
 * @example const upstream = await startRecordingUpstream(); upstream.requests.length === 0
 */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const names = (raw: string[]) => raw.filter((_, i) => i % 2 === 0);
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        headerNames: names(req.rawHeaders),
        body: Buffer.concat(chunks).toString('latin1'),
        upgrade: false,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"recorded":true}');
    });
  });
  // An upgrade is recorded and answered 200 (not 101) on a connection held open for a second: if
  // the gateway wrongly switched to tunnelling, the client's next bytes would arrive here as
  // `TUNNEL` entries.
  server.on('upgrade', (req, socket) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      headerNames: names(req.rawHeaders),
      body: '',
      upgrade: true,
    });
    socket.on('data', (data: Buffer) => {
      requests.push({
        method: 'TUNNEL',
        url: '',
        headers: {},
        headerNames: [],
        body: data.toString('latin1'),
        upgrade: true,
      });
    });
    socket.on('error', () => {});
    socket.write(
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    // Long enough to catch tunnelled bytes; then closed, as the Connection header said.
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
