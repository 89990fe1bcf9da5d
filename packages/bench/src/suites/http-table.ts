import { type HttpSample, type HttpTarget, loadHttp } from '../load/http-load.js';
import { interleave } from '../load/interleave.js';
import type { CpuPerOp, createCpuMeter } from '../processes/cpu-meter.js';
import type { HttpRow } from '../result.js';
import { median, round } from '../statistics.js';

/** A row of an HTTP table: a target, the users it rotates through, and what it is compared to. */
export interface HttpRowTarget extends HttpTarget {
  readonly id: string;
  readonly users: number;
  /** Ids of rows in the same table this one is divided by; the first is the primary baseline. */
  readonly baselines: readonly string[];
  /**
   * Measured apart from the interleaved rounds: this many seconds of uninterrupted load first, then
   * its runs back to back. For a cache whose entries live a fixed time from their creation (nginx's
   * auth cache), whose hit ratio depends on uninterrupted traffic longer than that time.
   */
  readonly steadyStateSeconds?: number;
}

export interface HttpTableSettings {
  readonly connections: readonly number[];
  readonly seconds: number;
  readonly runs: number;
  readonly warmupSeconds: number;
  readonly log: (line: string) => void;
  readonly meter: ReturnType<typeof createCpuMeter>;
}

type MeteredSample = HttpSample & { readonly cpu: CpuPerOp };

/**
 * Measures a table of targets at each connection count: a warm-up per target, then `runs`
 * interleaved runs; reports medians and ratios to the baselines measured in the same rounds.
 * @example await httpTable('decision', [expressHello, envoy], settings)
 */
export async function httpTable(
  suite: HttpRow['suite'],
  targets: readonly HttpRowTarget[],
  settings: HttpTableSettings,
): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  for (const connections of settings.connections) {
    settings.log(`${suite}: ${targets.length} targets at ${connections} connection(s)`);
    const shape = { connections, seconds: settings.seconds };
    if (settings.warmupSeconds > 0) {
      for (const t of targets) await loadHttp(t, { connections, seconds: settings.warmupSeconds });
    }
    const run = async (t: HttpRowTarget): Promise<MeteredSample> => {
      const { value, cpu } = await settings.meter.measure(
        () => loadHttp(t, shape),
        (s) => s.requests,
      );
      return { ...value, cpu };
    };
    const interleaved = targets.filter((t) => t.steadyStateSeconds === undefined);
    const rounds = await interleave(interleaved, settings.runs, run);
    const samples = new Map(interleaved.map((t, i) => [t, rounds[i] as MeteredSample[]]));
    for (const t of targets) {
      if (t.steadyStateSeconds === undefined) continue;
      if (settings.warmupSeconds > 0) {
        await loadHttp(t, { connections, seconds: t.steadyStateSeconds });
      }
      const runs: MeteredSample[] = [];
      for (let i = 0; i < settings.runs; i++) runs.push(await run(t));
      samples.set(t, runs);
    }
    const measured = targets.map((t) => summarise(t, samples.get(t) as MeteredSample[]));
    const byId = new Map(measured.map((m) => [m.target.id, m]));
    for (const m of measured) {
      const vs: Record<string, number> = {};
      for (const id of m.target.baselines) {
        const base = byId.get(id);
        if (base && base.rps > 0) vs[id] = round(m.rps / base.rps, 3);
      }
      const primary = byId.get(m.target.baselines[0] ?? '');
      rows.push({
        suite,
        id: m.target.id,
        name: m.target.name,
        connections,
        users: m.target.users,
        rps: Math.round(m.rps),
        p50Ms: round(m.p50Ms, 3),
        p99Ms: round(m.p99Ms, 3),
        runs: m.runs.map((r) => ({
          rps: Math.round(r.rps),
          p50Ms: round(r.p50Ms, 3),
          p99Ms: round(r.p99Ms, 3),
          cpuUsPerRequest: roundCpu(r.cpu),
        })),
        cpuUsPerRequest: medianCpu(m.runs.map((r) => r.cpu)),
        vs,
        addedP50Ms: primary ? round(m.p50Ms - primary.p50Ms, 3) : null,
      });
    }
  }
  return rows;
}

/**
 * The median CPU per op of each process group over runs (a run where a group stayed idle counts 0).
 * @example medianCpu([{ acs: 30 }, { acs: 32, nginx: 1 }, { acs: 31 }]) // { acs: 31, nginx: 0 }
 */
export function medianCpu(runs: readonly CpuPerOp[]): CpuPerOp {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return roundCpu(Object.fromEntries(names.map((n) => [n, median(runs.map((r) => r[n] ?? 0))])));
}

function roundCpu(cpu: CpuPerOp): CpuPerOp {
  return Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 1)]));
}

function summarise(target: HttpRowTarget, runs: MeteredSample[]) {
  return {
    target,
    runs,
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
  };
}
