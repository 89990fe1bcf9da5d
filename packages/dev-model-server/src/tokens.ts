/**
 * Splits text into stream tokens: each word with its trailing whitespace.
 * @example toTokens('Hello big world') // ['Hello ', 'big ', 'world']
 */
export function toTokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/**
 * Splits a string into at most `parts` roughly equal chunks (used to stream tool-call arguments).
 * @example chunk('abcdef', 3) // ['ab', 'cd', 'ef']
 */
export function chunk(text: string, parts: number): string[] {
  if (text.length === 0) return [''];
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
