import { Counter, Histogram, type Registry } from 'prom-client';
import type { Decision } from './decide.js';

/** How a decision ended: allowed, denied, or denied because something unexpected threw. */
export type Outcome = 'allow' | 'deny' | 'error';

/** Records decisions into Prometheus metrics. */
export interface DecisionMetrics {
  /** Counts one decision and observes how long it took, in seconds. */
  record(decision: Decision, seconds: number): void;
}

// Cached decisions take tens of microseconds; uncached ones a signature check more.
const BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

/**
 * Registers `decisions_total{outcome,reason,shape}` and
 * `decision_duration_seconds{outcome,shape}` on `registry`. Labelled children are cached so the
 * hot path does no label hashing.
 * @example const metrics = createDecisionMetrics(registry); metrics.record(decision, 0.00004)
 */
export function createDecisionMetrics(registry: Registry): DecisionMetrics {
  const decisions = new Counter({
    name: 'decisions_total',
    help: 'Authorize decisions, by outcome (allow|deny|error), reason (ok or the error code) and gateway shape (envoy|nginx).',
    labelNames: ['outcome', 'reason', 'shape'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'decision_duration_seconds',
    help: 'Time from receiving an authorize request to answering it, by outcome and gateway shape.',
    labelNames: ['outcome', 'shape'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const children = new Map<string, { count: () => void; observe: (s: number) => void }>();

  return {
    record(decision, seconds) {
      const outcome: Outcome = decision.allow
        ? 'allow'
        : decision.failure === undefined
          ? 'deny'
          : 'error';
      const reason = decision.allow ? 'ok' : decision.code;
      const key = `${outcome}|${reason}|${decision.shape}`;
      let child = children.get(key);
      if (child === undefined) {
        const counter = decisions.labels(outcome, reason, decision.shape);
        const histogram = duration.labels(outcome, decision.shape);
        child = { count: () => counter.inc(), observe: (s) => histogram.observe(s) };
        children.set(key, child);
      }
      child.count();
      child.observe(seconds);
    },
  };
}
