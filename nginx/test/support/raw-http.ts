import { connect } from 'node:net';

/** A response read off the wire, headers as sent (names lower-cased, repeats kept). */
export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  header(name: string): string | undefined;
}

/**
 * Sends `head` (request line and header lines, without the blank line) plus `body` byte for byte,
 * so tests can use targets and header spellings that fetch() and node:http would normalise.
 * The request is sent with `Connection: close` appended; the response is read to the end.
 * @example await rawRequest(port, ['GET /api/x/../agents HTTP/1.1', 'Host: t'])
 */
export async function rawRequest(
  port: number,
  head: readonly string[],
  body = '',
  timeoutMs = 15_000,
): Promise<RawResponse> {
  const lines = [...head, 'Connection: close'];
  if (body && !head.some((l) => /^(content-length|transfer-encoding):/i.test(l))) {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No complete response within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      // A reset after a complete answer (reset_timedout_connection ending the lingering close of
      // a refused body) still delivered that answer.
      const received = Buffer.concat(chunks);
      if (received.includes('\r\n\r\n')) resolve(received);
      else reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
  return parseResponse(raw);
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0)
    throw new Error(`Not an HTTP response: ${JSON.stringify(raw.toString().slice(0, 80))}`);
  const [statusLine = '', ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = headerLines.map((l) => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).toLowerCase(), l.slice(colon + 1).trim()] as const;
  });
  let body = raw.subarray(end + 4);
  if (headers.some(([n, v]) => n === 'transfer-encoding' && /chunked/i.test(v))) {
    body = unchunk(body);
  }
  return {
    status,
    headers,
    body: body.toString('utf8'),
    header: (name) => headers.find(([n]) => n === name.toLowerCase())?.[1],
  };
}

function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.subarray(0, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(eol + 2, eol + 2 + size));
    rest = rest.subarray(eol + 2 + size + 2);
  }
}
