import { readFileSync } from 'node:fs';

/**
 * The direct children of a process (nginx's workers under its master), from
 * `/proc/<pid>/task/<pid>/children` (Linux); empty when the process is gone.
 * @example childPids(nginxMasterPid) // [4711, 4712]
 */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
