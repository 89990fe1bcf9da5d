/**
 * True when a valid JSON text has an object with the same member name twice.
 * The platform's verifier (jose4j) rejects such tokens, while `JSON.parse` silently keeps the
 * last value, so we look for them explicitly. Call only on text that `JSON.parse` accepted.
 * @example hasDuplicateKeys('{"role":"ADMIN","role":"REGULAR"}') // true
 */
export function hasDuplicateKeys(json: string): boolean {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      if (keys && expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return false;
}
