/** What {@link scanJsonMembers} finds in a JSON text. */
export interface JsonMembers {
  /** True when some object has the same member name twice. */
  readonly duplicateKey: boolean;
  /** The raw source text of each member of the top-level object, e.g. `userId` → `7e0`. */
  readonly topLevel: ReadonlyMap<string, string>;
}

/**
 * Looks at a JSON text the way the platform's verifier (jose4j) reads it, where `JSON.parse`
 * cannot: jose4j rejects a duplicated member name (`JSON.parse` keeps the last one) and tells an
 * integer literal (`7`, a Long) from a decimal one (`7.0`, `7e0`, a Double), which `JSON.parse`
 * turns into the same number. Call only on text that `JSON.parse` accepted.
 * @example scanJsonMembers('{"userId":7e0}').topLevel.get('userId') // '7e0'
 */
export function scanJsonMembers(json: string): JsonMembers {
  const stack: Array<Set<string> | null> = [];
  const topLevel = new Map<string, string>();
  let duplicateKey = false;
  let expectKey = false;
  let currentKey: string | undefined;
  let valueStart = -1;
  const endTopLevelValue = (end: number) => {
    if (currentKey !== undefined && valueStart >= 0)
      topLevel.set(currentKey, json.slice(valueStart, end).trim());
    currentKey = undefined;
    valueStart = -1;
  };
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      if (keys && expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (keys.has(key)) duplicateKey = true;
        keys.add(key);
        if (stack.length === 1) currentKey = key;
        expectKey = false;
      }
      i = end;
    } else if (c === ':' && stack.length === 1) {
      valueStart = i + 1;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      if (stack.length === 1) endTopLevelValue(i);
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      if (stack.length === 1) endTopLevelValue(i);
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return { duplicateKey, topLevel };
}
