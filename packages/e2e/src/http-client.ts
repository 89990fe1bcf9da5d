import { type IncomingHttpHeaders, request } from 'node:http';

/** A response as the tests look at it. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `error.code` of an `{ error: { code } }` body, if any. */
  readonly code: string | undefined;
  json<T = unknown>(): T;
}

export interface HttpRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | object;
  readonly timeoutMs?: number;
  /** The loopback address to send from (e.g. `127.0.0.3`), so nginx sees a distinct client. */
  readonly localAddress?: string;
}

/**
 * One request over a fresh connection with node:http (no pooling, no header rewriting beyond
 * Node's own validation). `url` is absolute: `http://127.0.0.1:<port>/path?query`.
 * @example const res = await send(`${origin}/api/agents`, { headers: { authorization: `Bearer ${t}` } })
 */
export function send(url: string, options: HttpRequest = {}): Promise<HttpResponse> {
  const { method = 'GET', timeoutMs = 15_000 } = options;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : [...value];
  }
  if (
    body !== undefined &&
    typeof options.body === 'object' &&
    !hasHeader(headers, 'content-type')
  ) {
    headers['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers,
        agent: false,
        timeout: timeoutMs,
        maxHeaderSize: 64 * 1024,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            code: errorCode(text),
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

function errorCode(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
