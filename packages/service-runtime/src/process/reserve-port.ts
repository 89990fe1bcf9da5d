/** A loopback port held for a child to bind, for as long as the reservation lasts. */
export interface PortReservation {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Lets the port go (idempotent). */
  release(): void;
}

interface TcpHandle {
  bind(host: string, port: number): number;
  getsockname(out: { port?: number }): number;
  close(): void;
}

interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  constants: { SOCKET: number };
}

/**
 * Binds a loopback TCP port (the OS picks it) and keeps it bound without listening, so that:
 * connections to it are refused until a child listens on it; the child binds it itself (Node,
 * nginx, uvicorn and PostgreSQL all bind with SO_REUSEADDR, which Linux allows beside a socket
 * that is not listening); and when the child exits, the port stays held for its restart. The OS
 * hands a bound port to nobody else (neither `bind(0)` nor an outgoing connection's local port),
 * unlike a port probed free and released. Node has no public call that binds without
 * listening, hence its TCP binding, as `net` itself uses it.
 * @example const acs = reservePort(); await startService('access-control-service', { port: acs.port })
 */
export function reservePort(host = '127.0.0.1'): PortReservation {
  const { TCP, constants } = (process as unknown as { binding(name: string): TcpWrap }).binding(
    'tcp_wrap',
  );
  const handle = new TCP(constants.SOCKET);
  const bound = handle.bind(host, 0);
  const name: { port?: number } = {};
  if (bound !== 0 || handle.getsockname(name) !== 0 || !name.port) {
    handle.close();
    throw new Error(`Could not reserve a port on ${host} (error ${bound}).`);
  }
  let held = true;
  return {
    port: name.port,
    address: `${host}:${name.port}`,
    release() {
      if (held) handle.close();
      held = false;
    },
  };
}
