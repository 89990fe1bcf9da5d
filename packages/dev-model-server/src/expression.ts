const CANDIDATE = /[-+*/^%().\d\s]*\d[-+*/^%().\d\s]*/g;

/**
 * The longest arithmetic-looking run of a prompt that has an operator, trimmed; undefined if none.
 * @example findExpression('What is (2+3)*4?') // '(2+3)*4'
 */
export function findExpression(text: string): string | undefined {
  let best: string | undefined;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = match[0].trim().replace(/[.\s]+$/, '');
    if (!/\d\s*[-+*/^%]\s*[\d(.]/.test(candidate)) continue;
    if (!best || candidate.length > best.length) best = candidate;
  }
  return best;
}
