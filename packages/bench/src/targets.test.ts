import { describe, expect, it } from 'vitest';
import type { AbuseResult, HttpRow, VerificationRow } from './result.js';
import { evaluateAbuseTargets, evaluateTargets } from './targets.js';

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

describe('evaluateAbuseTargets', () => {
  const verification = (id: string, vsRawHmac: number): VerificationRow => ({
    id,
    name: id,
    users: 1,
    inFlight: 1,
    opsPerSec: 1,
    runs: [1],
    vsRawHmac,
  });

  it('reads the verification ratios, the forged decision ratio at the highest count and the one-user storm', () => {
    const targets = evaluateAbuseTargets(
      [
        verification('raw-hmac', 1),
        verification('forged', 0.6),
        // One at a time is reported, not the target: the target reads the batch in flight.
        verification('auth-core-uncached', 0.5),
        verification('auth-core-uncached-in-flight', 0.05),
      ],
      [
        row('decision', 'acs-envoy-forged', 1, { 'acs-envoy': 0.2 }),
        row('decision', 'acs-envoy-forged', 16, { 'acs-envoy': 0.7 }),
      ],
      { oneUserStormVsIdle: 2.5 } as AbuseResult,
    );
    expect(Object.fromEntries(targets.map((t) => [t.id, [t.value, t.met]]))).toEqual({
      'forged-vs-raw-hmac': [0.6, true],
      'uncached-vs-raw-hmac': [0.05, false],
      'decision-forged-vs-cached': [0.7, true],
      'storm-health-p50': [2.5, false],
    });
  });

  it('leaves every target unmeasured when its suite did not run', () => {
    const targets = evaluateAbuseTargets([], [], null);
    expect(targets.map((t) => t.met)).toEqual([null, null, null, null]);
  });
});
