/** Query parameter carrying a token (the platform's WebSocket clients send it). */
export const TOKEN_QUERY_PARAM = 'access-token';

/** One `name=value` pair of a query string, as written and as decoded. */
interface QueryPair {
  /** The pair exactly as it appears between `&` separators. */
  readonly raw: string;
  /** Offset of the value in `raw` (after the first `=`), or -1 when the pair has no `=`. */
  readonly valueAt: number;
  /** The name decoded the way `URLSearchParams` decodes it (`%XX` and `+`). */
  readonly name: string;
  readonly value: string;
}

// The single rule, used both to find tokens and to redact them: a parameter carries a token when
// its DECODED name is exactly `access-token`. `?access%2Dtoken=`, `?%61ccess-token=` and
// `?access-tok%65n=` are therefore token sources (the services read them, exactly as a
// URLSearchParams-based client would send them) and every log removes their values. Names that
// only differ in case (`Access-Token`) are other parameters: not read, not redacted.
function isTokenPair(pair: QueryPair): boolean {
  return pair.name === TOKEN_QUERY_PARAM;
}

function queryPairs(search: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const raw of search.split('&')) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    // URLSearchParams over one pair decodes it exactly as it decodes a whole query; the leading
    // `&` stops it from dropping a `?` that starts the pair (it strips one only at the start).
    const [entry] = new URLSearchParams(`&${raw}`);
    const [name = '', value = ''] = entry ?? [];
    pairs.push({ raw, valueAt: eq < 0 ? -1 : eq + 1, name, value });
  }
  return pairs;
}

/** Splits a URL or request target into the part before the query, the query and the rest. */
function splitQuery(url: string): { head: string; search: string; tail: string } | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  return { head: url.slice(0, q + 1), search: url.slice(q + 1, end), tail: url.slice(end) };
}

/**
 * The token values of a request target's query string (raw `url` as on `req.url`): every
 * parameter whose decoded name is `access-token`.
 * @example queryTokens('/api/agents/1/react?access-token=abc') // ['abc']
 */
export function queryTokens(url: string): string[] {
  const parts = splitQuery(url);
  if (!parts) return [];
  return queryPairs(parts.search)
    .filter(isTokenPair)
    .map((p) => p.value);
}

/**
 * The URL with the value of every token-carrying query parameter (the same rule as
 * {@link queryTokens}) replaced by `replacement`; everything else is kept byte for byte.
 * @example redactQueryTokens('/x?access%2Dtoken=eyJ&a=1', '[REDACTED]') // '/x?access%2Dtoken=[REDACTED]&a=1'
 */
export function redactQueryTokens(url: string, replacement: string): string {
  const parts = splitQuery(url);
  if (!parts) return url;
  const search = parts.search
    .split('&')
    .map((raw) => {
      const [pair] = queryPairs(raw);
      if (!pair || !isTokenPair(pair)) return raw;
      return pair.valueAt < 0 ? raw : `${raw.slice(0, pair.valueAt)}${replacement}`;
    })
    .join('&');
  return `${parts.head}${search}${parts.tail}`;
}
