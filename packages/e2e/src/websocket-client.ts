import WebSocket from 'ws';

/** An open WebSocket session with everything the server sent so far. */
export interface Session {
  readonly ws: WebSocket;
  /** Parsed JSON text frames, in order. */
  readonly events: unknown[];
  /** Resolves with the close code and reason once the socket is closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The first event (already received or still to come) matching `test`. */
  next(test: (event: Event) => boolean, timeoutMs?: number): Promise<Event>;
  send(frame: unknown): void;
}

/** A server event, loosely typed: the tests check fields, not the schema. */
export type Event = { type?: string; state?: string; [key: string]: unknown };

/** The outcome of a handshake: a session, or the HTTP answer that refused it. */
export type Handshake =
  | { readonly status: 101; readonly session: Session }
  | {
      readonly status: number;
      readonly body: string;
      readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    };

/**
 * Opens a WebSocket (`ws://127.0.0.1:<port>/api/agents/<id>/react?access-token=…`) and resolves
 * once it is open (101) or refused (the HTTP status and body of the refusal; 0 if the connection
 * failed without an answer). `protocols` are offered in `Sec-WebSocket-Protocol` (e.g. the real
 * protocol plus a bearer entry carrying the token).
 * @example const hs = await openSocket(url); if (hs.status === 101) hs.session.send(frame)
 */
export function openSocket(
  url: string,
  headers: Readonly<Record<string, string>> = {},
  timeoutMs = 10_000,
  protocols: readonly string[] = [],
  localAddress?: string,
): Promise<Handshake> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [...protocols], {
      headers,
      handshakeTimeout: timeoutMs,
      maxPayload: 1 << 24,
      ...(localAddress ? { localAddress } : {}),
    });
    const events: Event[] = [];
    const waiters: Array<{ test: (e: Event) => boolean; done: (e: Event) => void }> = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      ws.on('close', (code, reason) => done({ code, reason: reason.toString() }));
    });
    ws.on('message', (data) => {
      const event = JSON.parse(String(data)) as Event;
      events.push(event);
      for (const w of [...waiters]) {
        if (w.test(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.done(event);
        }
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        });
        ws.terminate();
      });
    });
    ws.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    ws.on('open', () => {
      resolve({
        status: 101,
        session: {
          ws,
          events,
          closed,
          send: (frame) => ws.send(JSON.stringify(frame)),
          next: (test, wait = 20_000) =>
            new Promise<Event>((done, fail) => {
              const seen = events.find(test);
              if (seen) return done(seen);
              const timer = setTimeout(
                () =>
                  fail(
                    new Error(
                      `No matching event within ${wait} ms; got ${JSON.stringify(events).slice(-500)}`,
                    ),
                  ),
                wait,
              );
              waiters.push({
                test,
                done: (e) => {
                  clearTimeout(timer);
                  done(e);
                },
              });
            }),
        },
      });
    });
  });
}

/**
 * Closes a session cleanly (1000) and waits for the close handshake to finish.
 * @example const { code } = await closeSession(session)
 */
export async function closeSession(session: Session): Promise<{ code: number; reason: string }> {
  if (session.ws.readyState === WebSocket.OPEN) session.ws.close(1000, 'done');
  return session.closed;
}
