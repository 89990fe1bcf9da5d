import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childPids } from './child-pids.js';

describe('childPids', () => {
  it('lists a live child of this process and nothing for a pid that does not exist', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(childPids(process.pid)).toContain(child.pid);
      expect(childPids(2 ** 22 + 1)).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
