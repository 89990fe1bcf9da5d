/** The tokens a target sends, one per request, in a cycle that continues across runs. */
export interface TokenRotation {
  /** Distinct tokens (users) in the cycle. */
  readonly size: number;
  /** The next token; after the last comes the first again. */
  next(): string;
}

/**
 * A cycle over pre-signed tokens. The position survives between runs, so every run of a "many
 * users" target keeps walking the whole population instead of restarting at the first users.
 * @example const users = rotation(tokens); users.next()
 */
export function rotation(tokens: readonly string[]): TokenRotation {
  if (tokens.length === 0) throw new RangeError('a rotation needs at least one token');
  let index = 0;
  return {
    size: tokens.length,
    next() {
      const token = tokens[index] as string;
      index = index + 1 === tokens.length ? 0 : index + 1;
      return token;
    },
  };
}
