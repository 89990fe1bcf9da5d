import { describe, expect, it } from 'vitest';
import type { HttpRow } from './result.js';
import { evaluateTargets } from './targets.js';

function row(
  suite: HttpRow['suite'],
  id: string,
  connections: number,
  vs: Record<string, number>,
  addedP50Ms: number | null = null,
): HttpRow {
  const run = { rps: 1, p50Ms: 0.1, p99Ms: 1, cpuUsPerRequest: {} };
  return {
    suite,
    id,
    name: id,
    connections,
    users: 1,
    ...run,
    runs: [run],
    vs,
    addedP50Ms,
  };
}

describe('evaluateTargets', () => {
  it('reads throughput ratios at the highest connection count and added p50 at the lowest', () => {
    const targets = evaluateTargets([
      row('decision', 'acs-envoy', 1, { 'express-hello': 0.5 }),
      row('decision', 'acs-envoy', 16, { 'express-hello': 1.2 }),
      row('decision', 'acs-nginx', 16, { 'express-hello': 0.85 }),
      row('gateway', 'auth', 1, { control: 0.5 }, 0.25),
      row('gateway', 'auth', 16, { control: 0.7 }, 2),
      row('gateway', 'auth-cached', 1, { control: 0.9 }, 0.31),
      row('gateway', 'auth-cached', 16, { control: 0.95 }, 1),
    ]);
    const byId = Object.fromEntries(
      targets.filter((t) => !t.id.endsWith('-many')).map((t) => [t.id, [t.value, t.met]]),
    );
    expect(byId).toEqual({
      'decision-envoy-vs-express': [1.2, true],
      'decision-nginx-vs-express': [0.85, false],
      'gateway-auth-vs-control': [0.7, true],
      'gateway-auth-cached-vs-control': [0.95, true],
      'gateway-added-p50': [0.25, true],
      'gateway-cached-added-p50': [0.31, false],
    });
  });

  it('evaluates the many-users rows against the many-users control', () => {
    const targets = evaluateTargets([
      row('gateway', 'auth-cached-many', 16, { 'control-many': 0.6 }),
      row('gateway', 'auth-cached', 16, { control: 0.95 }),
    ]);
    expect(targets.find((t) => t.id === 'gateway-auth-cached-vs-control-many')).toMatchObject({
      value: 0.6,
      met: false,
    });
  });

  it('leaves targets whose suites did not run unmeasured rather than missed', () => {
    const targets = evaluateTargets([row('decision', 'acs-envoy', 4, { 'express-hello': 2 })]);
    expect(targets.find((t) => t.id === 'gateway-added-p50')).toMatchObject({
      value: null,
      met: null,
    });
  });
});
