// Preloaded into the services the bench starts (`node --expose-gc --import <this file> main.js`):
// answers the parent's 'memory' message with the process's memory after two full GCs, so memory
// per open WebSocket can be read from the real service binary. Benchmark only; nothing else loads it.
// When the bench process is gone (the IPC channel closes), the service goes too.

interface Gc {
  gc?: () => void;
}

process.on('message', (message) => {
  if (message !== 'memory') return;
  const { gc } = globalThis as Gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  process.send?.({
    memory: {
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      gc: gc !== undefined,
    },
  });
});

process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
