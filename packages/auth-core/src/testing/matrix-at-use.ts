import { type TokenCase, tokenMatrix } from './token-matrix.js';

/** The shared matrix with its tokens built when a suite is ready, not when its file is collected. */
export interface MatrixAtUse {
  /** Every row, for test titles and verdicts (its tokens are not the ones to send). */
  readonly rows: readonly TokenCase[];
  /** (Re)builds the tokens against `nowMs`: call it once the services under test are up. */
  build(nowMs?: number): void;
  /** The built row of that name; its token is remembered as sent. Throws before `build`. */
  row(name: string): TokenCase;
  /** Every token handed out by `row` (for "no token in any log" checks). */
  readonly sent: ReadonlySet<string>;
}

/**
 * `tokenMatrix` for suites that start processes first: rows such as "expired 10 s ago, within the
 * skew" flip their verdict with elapsed time, so tokens built at collection may be stale by the
 * time a slow start lets the case run. Titles come from `rows`; each case sends `row(name).token`;
 * a log check looks for every token in `sent`, the very ones that were sent.
 * @example const m = matrixAtUse(TEST_SECRET); beforeAll(async () => { await start(); m.build() });
 * it.each(m.rows)('$name', async ({ name }) => send(m.row(name).token))
 */
export function matrixAtUse(secret: string): MatrixAtUse {
  const rows = tokenMatrix(secret);
  let built: Map<string, TokenCase> | undefined;
  const sent = new Set<string>();
  return {
    rows,
    build(nowMs = Date.now()) {
      built = new Map(tokenMatrix(secret, nowMs).map((row) => [row.name, row]));
    },
    row(name) {
      if (!built) throw new Error('matrixAtUse: call build() before using a row.');
      const row = built.get(name);
      if (!row) throw new Error(`matrixAtUse: no row named ${name}.`);
      sent.add(row.token);
      return row;
    },
    sent,
  };
}
