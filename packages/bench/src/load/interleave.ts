/**
 * Measures every target `runs` times, round by round, starting each round one target later, so
 * drift over the run (thermal state, other work on the machine, GC of a long-lived process) lands
 * on every target alike instead of on whichever ran last. Returns the samples per target, in
 * target order.
 * @example const [a, b] = await interleave([ta, tb], 3, (t) => loadHttp(t, shape))
 */
export async function interleave<T, S>(
  targets: readonly T[],
  runs: number,
  measure: (target: T) => Promise<S>,
): Promise<S[][]> {
  const samples: S[][] = targets.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < targets.length; i++) {
      const index = (i + round) % targets.length;
      (samples[index] as S[]).push(await measure(targets[index] as T));
    }
  }
  return samples;
}
