import WebSocket from 'ws';

/** The outcome of a WebSocket handshake through the gateway. */
export type Handshake =
  | { readonly opened: true; readonly socket: WebSocket; readonly messages: unknown[] }
  | { readonly opened: false; readonly status: number; readonly body: string };

/**
 * Opens a WebSocket and reports either the open socket (101) or the HTTP status and body that
 * refused it. Incoming JSON messages are collected from the first byte on.
 * @example const hs = await handshake(`ws://127.0.0.1:${port}/api/agents/${id}/react?access-token=${t}`)
 */
export function handshake(url: string, headers: Record<string, string> = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket.once('open', () => resolve({ opened: true, socket, messages }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c;
      });
      res.on('end', () => {
        resolve({ opened: false, status: res.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.once('error', (error) => reject(error));
  });
}

/**
 * Waits until a collected message satisfies `match`, polling the array `handshake` fills.
 * @example await waitForMessage(hs.messages, (m) => m.type === 'snapshot')
 */
export async function waitForMessage<T = Record<string, unknown>>(
  messages: readonly unknown[],
  match: (message: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (messages as T[]).find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`No matching message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
