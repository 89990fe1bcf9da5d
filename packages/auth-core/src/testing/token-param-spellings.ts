import { TOKEN_QUERY_PARAM } from '../query-token.js';

/**
 * Every way a client can spell the `access-token` query parameter's name that still decodes to
 * it: the literal name, each single character percent-encoded (upper- and lower-case hex), and
 * the whole name encoded. Extraction reads all of them and every log redacts all of them; tests
 * at each layer (auth-core, both services, nginx, the stack) drive the same list.
 * @example for (const name of tokenParamSpellings()) await get(`/api/agents?${name}=${token}`)
 */
export function tokenParamSpellings(): string[] {
  const name = TOKEN_QUERY_PARAM;
  const hex = (c: string) => c.charCodeAt(0).toString(16);
  const spellings = new Set<string>([name]);
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    spellings.add(`${name.slice(0, i)}%${hex(c).toUpperCase()}${name.slice(i + 1)}`);
    spellings.add(`${name.slice(0, i)}%${hex(c)}${name.slice(i + 1)}`);
  }
  spellings.add([...name].map((c) => `%${hex(c).toUpperCase()}`).join(''));
  return [...spellings];
}

/**
 * Names that look like `access-token` but decode to something else: other parameters, neither
 * read as a token nor redacted (the rule is the decoded name, compared exactly).
 * @example notTokenParamSpellings() // ['Access-Token', 'access%252Dtoken', ...]
 */
export function notTokenParamSpellings(): string[] {
  return [
    'Access-Token',
    'ACCESS-TOKEN',
    'access%252Dtoken',
    'access+token',
    'access_token',
    'access-token%00',
  ];
}
