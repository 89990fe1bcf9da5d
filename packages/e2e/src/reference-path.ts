/**
 * An independent, deliberately simple reading of a request target: percent-decode everything,
 * split on `/` (and `\`), drop empty and `.` segments, resolve `..`, and say whether the result
 * is `/api/agents` or below. Used as a fuzzing oracle: whatever the access-control-service allows
 * must be an agent path by this reading too (it may refuse more, never allow more).
 * @example isAgentTargetByReference('/x/../api/%61gents?q=1') // true
 */
export function isAgentTargetByReference(target: string): boolean {
  if (!target.startsWith('/')) return false;
  const path = target.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  const out: string[] = [];
  for (const segment of decoded.split(/[/\\]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return false;
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return out[0] === 'api' && out[1] === 'agents';
}
