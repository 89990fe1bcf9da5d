import { connect } from 'node:net';

/** One HTTP response read off a raw socket. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case names; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
}

/** Everything a raw exchange produced. */
export interface RawExchange {
  /** Complete responses in order (a pipelined or smuggled request adds one). */
  readonly responses: readonly RawResponse[];
  /** The first response; throws when there was none. */
  readonly first: RawResponse;
  /** Every byte received, as latin1. */
  readonly raw: string;
  /** True when the server closed the connection (rather than the idle timer ending the read). */
  readonly closedByServer: boolean;
}

export interface RawOptions {
  /** Stop reading after this long without a byte once a response is complete. Default 300 ms. */
  readonly idleMs?: number;
  /** Give up after this long in total. Default 10 s. */
  readonly timeoutMs?: number;
  /** Method of each request, in order, for responses without a body (HEAD). */
  readonly headRequests?: boolean;
}

/**
 * Writes bytes exactly as given to 127.0.0.1:`port` and reads every response the server sends
 * until it closes, goes idle after a complete response, or the timeout passes. For request lines
 * and header shapes no HTTP client library will produce.
 * @example const { first } = await rawExchange(port, httpRequest(['GET /api/agents HTTP/1.1', 'Host: a']))
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  options: RawOptions = {},
): Promise<RawExchange> {
  const { idleMs = 300, timeoutMs = 10_000 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(idle);
      clearTimeout(overall);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const responses = parseResponses(raw, closedByServer, options.headRequests ?? false);
      resolve({
        responses,
        raw,
        closedByServer,
        get first() {
          const [response] = responses;
          if (!response)
            throw new Error(`No complete HTTP response; received: ${raw.slice(0, 300)}`);
          return response;
        },
      });
    };
    const overall = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      clearTimeout(idle);
      const sofar = Buffer.concat(chunks).toString('latin1');
      if (parseResponses(sofar, false, options.headRequests ?? false).length > 0) {
        idle = setTimeout(finish, idleMs);
      }
    });
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closedByServer = true;
        finish();
      } else reject(error);
    });
    socket.write(request);
  });
}

/**
 * Joins request lines with CRLF and ends the head; `body` follows verbatim.
 * @example httpRequest(['GET / HTTP/1.1', 'Host: a', 'Connection: close'])
 */
export function httpRequest(lines: readonly string[], body: string | Buffer = ''): Buffer {
  return Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
    typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
  ]);
}

function parseResponses(raw: string, complete: boolean, head: boolean): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  for (let guard = 0; guard < 100 && at < raw.length; guard++) {
    const end = raw.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const [statusLine = '', ...lines] = raw.slice(at, end).split('\r\n');
    const match = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine);
    if (!match) break;
    const status = Number(match[1]);
    const headers: Record<string, string[]> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const values = headers[name] ?? [];
      values.push(line.slice(colon + 1).trim());
      headers[name] = values;
    }
    let bodyStart = end + 4;
    let body = '';
    const length = headers['content-length']?.[0];
    const chunked = /chunked/i.test(headers['transfer-encoding']?.join(',') ?? '');
    if (head || status < 200 || status === 204 || status === 304) {
      // no body
    } else if (chunked) {
      const decoded = decodeChunked(raw, bodyStart);
      if (!decoded) break;
      body = decoded.body;
      bodyStart = decoded.end;
    } else if (length !== undefined) {
      const n = Number(length);
      if (raw.length < bodyStart + n) break;
      body = raw.slice(bodyStart, bodyStart + n);
      bodyStart += n;
    } else {
      if (!complete && status !== 101) break;
      body = status === 101 ? '' : raw.slice(bodyStart);
      bodyStart = status === 101 ? bodyStart : raw.length;
    }
    out.push({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    at = bodyStart;
    if (status === 101) break;
  }
  return out;
}

function decodeChunked(raw: string, start: number): { body: string; end: number } | undefined {
  let at = start;
  let body = '';
  for (let guard = 0; guard < 10_000; guard++) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (Number.isNaN(size)) return undefined;
    at = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = raw.indexOf('\r\n', at);
      return trailerEnd < 0 ? undefined : { body, end: trailerEnd + 2 };
    }
    if (raw.length < at + size + 2) return undefined;
    body += raw.slice(at, at + size);
    at += size + 2;
  }
  return undefined;
}
