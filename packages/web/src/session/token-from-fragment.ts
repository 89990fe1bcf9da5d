/** The fragment parameter the `pnpm start` sign-in link uses. */
export const FRAGMENT_TOKEN_PARAM = 'access_token';

/**
 * Takes a token from `#access_token=…` and removes the fragment from the address bar (and from
 * the history entry), so the token is not left in the URL, bookmarks or screen shares. A fragment
 * never reaches a server, which is why the link carries the token there.
 * @example const token = takeTokenFromFragment(window.location, window.history)
 */
export function takeTokenFromFragment(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState' | 'state'>,
): string | null {
  if (!location.hash.startsWith('#')) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get(FRAGMENT_TOKEN_PARAM)?.trim();
  if (!params.has(FRAGMENT_TOKEN_PARAM)) return null;
  params.delete(FRAGMENT_TOKEN_PARAM);
  const rest = params.toString();
  history.replaceState(
    history.state,
    '',
    `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
  );
  return token ? token : null;
}
