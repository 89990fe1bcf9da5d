import { type PortReservation, reservePort } from '@agentauth/service-runtime/process';
import { afterAll, expect } from 'vitest';
import { type HardenedRun, podman, type RunningContainer, startContainer } from '../src/index.js';

/** The chart's runAsUser:runAsGroup of the Node services and of the web app. */
export const SERVICE_USER = '1000:1000';
export const WEB_USER = '101:101';

const started: RunningContainer[] = [];
const reserved: PortReservation[] = [];
afterAll(async () => {
  for (const c of started.splice(0)) await c.stop();
  for (const r of reserved.splice(0)) r.release();
});

/**
 * Starts a container the chart's way on a free loopback port (PORT/HOST for the services) and
 * waits until `healthPath` answers; returns it with its origin and the start-to-healthy time
 * (reported, not asserted). Containers stop when the suite ends.
 */
export async function startHealthy(
  run: Omit<HardenedRun, 'env' | 'publish'> & {
    env?: Record<string, string>;
    /** The image's fixed port, published on a free loopback port (else PORT on the host network). */
    containerPort?: number;
  },
  healthPath: string,
): Promise<{ container: RunningContainer; origin: string; port: number; healthySeconds: number }> {
  // Reserved until the suite ends: the container (or podman's port forwarder) binds it beside
  // the reservation, and no other process is handed it first.
  const reservation = reservePort();
  reserved.push(reservation);
  const { port } = reservation;
  const began = performance.now();
  const { containerPort, ...rest } = run;
  const container = startContainer(
    containerPort === undefined
      ? { ...rest, env: { HOST: '127.0.0.1', PORT: String(port), ...run.env } }
      : { ...rest, env: run.env ?? {}, publish: { hostPort: port, containerPort } },
  );
  started.push(container);
  const origin = `http://127.0.0.1:${port}`;
  await container.waitHealthy(`${origin}${healthPath}`);
  const healthySeconds = (performance.now() - began) / 1000;
  process.stderr.write(
    `images: ${run.image} healthy ${healthySeconds.toFixed(2)} s after podman run\n`,
  );
  return { container, origin, port, healthySeconds };
}

/**
 * What the kernel says about the container's main process (`/proc/1/status` read inside it):
 * uid, effective capabilities and the no_new_privs flag, plus whether the root filesystem and
 * /tmp are writable for it.
 */
export function processFacts(container: RunningContainer) {
  const status = podman(['exec', container.id, 'cat', '/proc/1/status']).stdout;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  const writable = (dir: string) =>
    podman(['exec', container.id, 'sh', '-c', `: > ${dir}/.probe && rm ${dir}/.probe`], {
      allowFailure: true,
    }).status === 0;
  // cgroup v2, else v1 (this machine).
  const memoryMax = podman(
    [
      'exec',
      container.id,
      'sh',
      '-c',
      'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
    ],
    { allowFailure: true },
  ).stdout.trim();
  return {
    uid: field('Uid').split(/\s+/)[0],
    capEff: field('CapEff'),
    noNewPrivs: field('NoNewPrivs'),
    rootWritable: writable(''),
    tmpWritable: writable('/tmp'),
    memoryMax,
  };
}

/** The checks every image must pass, as the chart runs it. */
export function expectHardened(container: RunningContainer, uid: string, memoryBytes: number) {
  const facts = processFacts(container);
  expect(facts.uid).toBe(uid);
  expect(facts.capEff).toBe('0000000000000000');
  expect(facts.noNewPrivs).toBe('1');
  expect(facts.rootWritable).toBe(false);
  expect(facts.tmpWritable).toBe(true);
  expect(facts.memoryMax).toBe(String(memoryBytes));
}
