import { send } from './http-client.js';

/**
 * Sums the samples of a Prometheus counter or gauge whose labels include every `labels` pair.
 * @example await metricSum(`${acsUrl}/metrics`, 'decisions_total', { outcome: 'allow' })
 */
export async function metricSum(
  url: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const res = await send(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  let sum = 0;
  for (const line of res.body.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? ([-+\d.eE]+|NaN)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(match[3]);
  }
  return sum;
}
