import type { RunningGateway } from './gateway.js';

/** One line of the gateway's JSON access log (the `agentauth` log_format). */
export interface AccessEntry {
  readonly status: number;
  readonly uri: string;
  /** The authorize subrequest's upstream status(es), e.g. "200", "504", or "502, 200" on a retry. */
  readonly auth_status: string;
  readonly auth_cache: string;
  readonly upstream_status: string;
}

/**
 * The gateway's access log, parsed. nginx writes a request's line before it closes the connection,
 * so after a `Connection: close` answer has been read to the end its line is there.
 * @example expect(accessEntries(gw).at(-1)?.auth_status).toBe('504')
 */
export function accessEntries(gw: RunningGateway): AccessEntry[] {
  return gw
    .accessLog()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AccessEntry);
}
