import { percentile } from '../statistics.js';

/** Collects response times (ms, sub-millisecond resolution) and reads percentiles from them. */
export interface LatencyRecorder {
  record(ms: number): void;
  readonly count: number;
  /** Nearest-rank percentile in ms; NaN with no samples. */
  percentile(p: number): number;
}

/**
 * A growable Float64Array of samples. autocannon's own histogram counts whole milliseconds,
 * too coarse for a 0.3 ms target, so the bench records the hrtime-based response time itself.
 * @example const r = createLatencyRecorder(); r.record(0.41); r.percentile(50) // 0.41
 */
export function createLatencyRecorder(initialCapacity = 65_536): LatencyRecorder {
  let samples = new Float64Array(initialCapacity);
  let count = 0;
  let sorted = true;
  return {
    record(ms) {
      if (count === samples.length) {
        const bigger = new Float64Array(samples.length * 2);
        bigger.set(samples);
        samples = bigger;
      }
      samples[count++] = ms;
      sorted = false;
    },
    get count() {
      return count;
    },
    percentile(p) {
      const view = samples.subarray(0, count);
      if (!sorted) {
        view.sort();
        sorted = true;
      }
      return percentile(view, p);
    },
  };
}
