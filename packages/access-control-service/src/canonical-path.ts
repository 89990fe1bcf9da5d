/** A request target reduced to the path the gateway routes on, plus its untouched query. */
export interface CanonicalTarget {
  /** Canonical path: unreserved escapes decoded, duplicate slashes merged, dot segments resolved. */
  readonly path: string;
  /** `?` and everything after it, as sent (empty when there is no query). */
  readonly search: string;
}

const SLASH = 0x2f;
const PERCENT = 0x25;
const HASH = 0x23;

// Characters allowed raw in a path: RFC 3986 pchar (unreserved, sub-delims, ":", "@") and "/".
// "%" is handled on its own; everything else (space, controls, "\", "#", quotes, non-ASCII…) is
// refused, because a browser percent-encodes anything an agent path could need.
const PATH_CHAR = table(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/",
);
// Escapes that RFC 3986 §6.2.2.2 says are the same as the raw character, so they are decoded.
const UNRESERVED = table('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~');

/**
 * Canonicalises an origin-form request target the way the gateways route it (nginx decodes,
 * merges slashes and resolves dot segments before matching a `location`; Envoy Gateway normalises
 * paths and merges slashes before matching a route), or returns undefined when the target cannot
 * be canonicalised safely: not origin-form, a fragment, a raw or encoded control character,
 * an encoded `/` or `\`, a malformed escape, or a `..` that climbs above the root.
 * Other escapes stay encoded (upper-case hex), so `%3F` never becomes a query delimiter.
 * @example canonicalTarget('/api//agents/./1/%2e%2e/react?access-token=x')
 * // { path: '/api/agents/react', search: '?access-token=x' }
 */
export function canonicalTarget(target: string): CanonicalTarget | undefined {
  if (target.charCodeAt(0) !== SLASH) return undefined;
  const q = target.indexOf('?');
  const pathEnd = q < 0 ? target.length : q;
  for (let i = pathEnd + 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === HASH) return undefined;
  }

  const segments: string[] = [];
  let start = 1;
  let escaped = false;
  let last = '';
  for (let i = 1; i <= pathEnd; i++) {
    const c = i === pathEnd ? SLASH : target.charCodeAt(i);
    if (c === PERCENT) {
      escaped = true;
      continue;
    }
    if (c !== SLASH) {
      if (c >= 0x80 || PATH_CHAR[c] !== 1) return undefined;
      continue;
    }
    let segment = target.slice(start, i);
    if (escaped) {
      const decoded = decodeSegment(segment);
      if (decoded === undefined) return undefined;
      segment = decoded;
    }
    if (segment === '..') {
      if (segments.pop() === undefined) return undefined;
    } else if (segment !== '.' && segment !== '') {
      segments.push(segment);
    }
    last = segment;
    start = i + 1;
    escaped = false;
  }
  // A trailing "/", "/." or "/.." leaves a directory-style path ending in "/" (RFC 3986 §5.2.4).
  const trailing = segments.length > 0 && (last === '' || last === '.' || last === '..');
  const path = `/${segments.join('/')}${trailing ? '/' : ''}`;
  return { path, search: q < 0 ? '' : target.slice(q) };
}

function decodeSegment(segment: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = segment.indexOf('%'); i >= 0; i = segment.indexOf('%', from)) {
    const hi = hex(segment.charCodeAt(i + 1));
    const lo = hex(segment.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return undefined;
    const byte = hi * 16 + lo;
    // Encoded slashes and backslashes would split or join segments differently at each hop;
    // encoded controls (NUL, CR, LF…) have no business in a path.
    if (byte === 0x2f || byte === 0x5c || byte < 0x20 || byte === 0x7f) return undefined;
    out += segment.slice(from, i);
    out +=
      byte < 0x80 && UNRESERVED[byte] === 1
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    from = i + 3;
  }
  return out + segment.slice(from);
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}
