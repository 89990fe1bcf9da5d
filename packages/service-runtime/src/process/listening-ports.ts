import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** TCP state `LISTEN` in /proc/net/tcp. */
const LISTEN = '0A';

/**
 * The TCP ports a process listens on, from its open sockets (`/proc/<pid>/fd`) matched against
 * `/proc/net/tcp` and `tcp6` (Linux); empty when the process is gone or listens on nothing yet.
 * Lets a test start a service on `PORT=0` and read back the port the service itself bound,
 * instead of probing a free port and hoping nothing takes it before the service binds it.
 * @example listeningPorts(child.pid) // [40123]
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // closed while reading
      }
    }
  } catch {
    return [];
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const [, local, , state, , , , , , inode] = fields;
      if (state !== LISTEN || !local || !inode || !inodes.has(inode)) continue;
      ports.add(Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
