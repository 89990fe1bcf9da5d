import { readdirSync, readFileSync } from 'node:fs';

/** A named group of processes whose CPU time is metered (e.g. `nginx` = both gateways' workers). */
export interface MeteredGroup {
  readonly name: string;
  /** The pids to read now (worker pids can change when nginx restarts one). */
  readonly pids: () => readonly number[];
}

/**
 * The pids of processes that are running (a process that has not started or has exited has none).
 * @example knownPids([gateway.pid, service.pid])
 */
export function knownPids(pids: readonly (number | undefined)[]): number[] {
  return pids.filter((p): p is number => p !== undefined);
}

/** CPU time per operation while something ran, by group; empty where /proc is not available. */
export type CpuPerOp = Record<string, number>;

/**
 * Meters on-CPU time of the server processes (every thread, nanoseconds, from Linux
 * `/proc/<pid>/task/<tid>/schedstat`) and of the bench process itself (`client`), so each figure
 * can say where the work went: on a shared two-core machine CPU per request is steadier than
 * throughput, and it shows how much of the machine the load generator took.
 * @example const meter = createCpuMeter(groups); const { value, cpu } = await meter.measure(run, (s) => s.requests)
 */
export function createCpuMeter(groups: readonly MeteredGroup[]) {
  const supported = readSchedstat(process.pid) !== undefined;
  const snapshot = () => {
    const totals: Record<string, number> = {};
    for (const g of groups) {
      let sum = 0;
      for (const pid of g.pids()) sum += processNanoseconds(pid);
      totals[g.name] = sum;
    }
    const self = process.cpuUsage();
    totals.client = (self.user + self.system) * 1000;
    return totals;
  };
  return {
    /**
     * Runs `fn`, then divides each group's CPU time by the operations it reports, in µs per op;
     * groups below 0.05 µs per op (idle) are left out.
     */
    async measure<T>(fn: () => Promise<T>, ops: (value: T) => number) {
      if (!supported) return { value: await fn(), cpu: {} as CpuPerOp };
      const before = snapshot();
      const value = await fn();
      const after = snapshot();
      const n = ops(value);
      const cpu: CpuPerOp = {};
      for (const [name, ns] of Object.entries(after)) {
        const perOp = n > 0 ? (ns - (before[name] ?? 0)) / n / 1000 : 0;
        if (perOp >= 0.05) cpu[name] = perOp;
      }
      return { value, cpu };
    },
  };
}

function processNanoseconds(pid: number): number {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let sum = 0;
  for (const tid of tasks) sum += readSchedstat(pid, tid) ?? 0;
  return sum;
}

// First field of schedstat: time spent on the CPU, in nanoseconds.
function readSchedstat(pid: number, tid: number | string = pid): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
    const ns = Number(text.split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns : undefined;
  } catch {
    return undefined;
  }
}
