import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { onShutdownSignals } from './shutdown.js';

// onShutdownSignals adds process listeners; each test removes the ones it added.
const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
afterEach(() => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const l of process.listeners(signal)) {
      if (!before[signal].includes(l)) process.off(signal, l);
    }
  }
});

describe('onShutdownSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'tells stop which signal came (%s) and exits 0',
    async (signal) => {
      const seen: string[] = [];
      const exited = new Promise<number>((resolve) => {
        onShutdownSignals(pino({ level: 'silent' }), async (s) => seen.push(s), { exit: resolve });
      });
      // A real signal's listener gets its name, as here.
      process.emit(signal, signal);
      expect(await exited).toBe(0);
      expect(seen).toEqual([signal]);
    },
  );

  it('exits 1 when stop outlasts timeoutMs', async () => {
    let finish = () => {};
    const exited = new Promise<number>((resolve) => {
      onShutdownSignals(
        pino({ level: 'silent' }),
        () =>
          new Promise<void>((r) => {
            finish = r;
          }),
        { exit: resolve, timeoutMs: 50 },
      );
    });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(1);
    finish();
  });
});
