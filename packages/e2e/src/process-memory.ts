import { readFileSync } from 'node:fs';

/**
 * Resident set size of a live process in bytes, from `/proc/<pid>/status` (Linux).
 * @example const rss = rssBytes(child.pid)
 */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`/proc/${pid}/status has no VmRSS line.`);
  return Number(kib) * 1024;
}

/** Bytes as MiB with one decimal, for printed figures. */
export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
