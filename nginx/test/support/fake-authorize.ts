import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake access-control-service received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names exactly as sent, in order. */
  readonly headerNames: readonly string[];
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What to answer: a response, or `'hang'` to accept the request and never respond. */
export type Decide = (request: ReceivedRequest) => Answer | 'hang';

export interface RecordingServer {
  readonly port: number;
  readonly address: string;
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted so far (keep-alive reuse keeps this below the request count). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * An HTTP server on a free loopback port that records every request and answers with `decide`.
 * Used as a stand-in access-control-service or agent-service where a test needs to see exactly
 * what nginx sends upstream (or that it sent nothing).
 * @example const acs = await startRecordingServer(() => ({ status: 401 }))
 */
export async function startRecordingServer(decide: Decide): Promise<RecordingServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  // Room for long identity headers (a long non-ASCII name, percent-encoded) and big tokens.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        headerNames: req.rawHeaders.filter((_, i) => i % 2 === 0),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = decide(request);
      if (answer === 'hang') return;
      const body = answer.body ?? '';
      // An explicit length, as the real services send: nginx keeps an authorize connection alive
      // only when the answer's body is known to be empty (auth_request reads no body).
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...answer.headers,
      });
      res.end(body);
    });
  });
  server.on('connection', (s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    requests,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
