import { type Child, startChild } from '@agentauth/service-runtime/process';
import { describe, expect, it } from 'vitest';
import { supervise } from './supervise.js';

// A real process per start; the script says whether (and how) it ends on its own.
function node(script: string): Child {
  return startChild(
    { name: 'child', command: process.execPath, args: ['-e', script], env: {} },
    () => {},
  );
}
const forever = 'setInterval(() => {}, 1000)';

describe('supervise', () => {
  it('restarts a process that exits on its own and reports it', async () => {
    const lines: string[] = [];
    let starts = 0;
    const back = new Promise<void>((resolve) => {
      const report = (line: string) => {
        lines.push(line);
        if (line.endsWith('is back.')) resolve();
      };
      const p = supervise(
        'svc',
        async () => {
          starts++;
          return node(starts === 1 ? 'process.exit(3)' : forever);
        },
        { report, backoffMs: [10] },
      );
      void p.start().then(() => {
        void back.then(() => p.stop());
      });
    });
    await back;
    expect(starts).toBe(2);
    expect(lines).toEqual(['svc exited (3); restarting it after 0.01 s.', 'svc is back.']);
  });

  it('gives up with one sentence when it keeps exiting', async () => {
    const lines: string[] = [];
    const p = supervise('svc', async () => node('process.exit(1)'), {
      report: (line) => lines.push(line),
      backoffMs: [1, 2],
      maxRestarts: 3,
    });
    await p.start();
    expect(await p.gaveUp).toBe(
      'svc keeps exiting (1; restarted 3 times in 60 s), so the stack stops.',
    );
    expect(lines.filter((l) => l.startsWith('svc exited (1); restarting it after'))).toHaveLength(
      3,
    );
    expect(p.isRunning()).toBe(false);
  });

  it('does not restart what it was asked to stop', async () => {
    const lines: string[] = [];
    let starts = 0;
    const p = supervise(
      'svc',
      async () => {
        starts++;
        return node(forever);
      },
      { report: (line) => lines.push(line), backoffMs: [1] },
    );
    await p.start();
    await p.stop();
    expect(p.isRunning()).toBe(false);
    await p.start();
    expect(p.isRunning()).toBe(true);
    await p.stop();
    expect(starts).toBe(2);
    expect(lines).toEqual([]);
  });
});
