import { signToken, type TokenSubject } from '@agentauth/auth-core';

/** The demo account `pnpm start` signs in as: a REGULAR user, as most platform users are. */
export const DEMO_USER: TokenSubject = {
  uid: 1000,
  name: 'demo',
  email: 'demo@example.com',
  role: 'REGULAR',
};

/** How long the printed link works. */
export const DEMO_LINK_TTL = '12h';

/**
 * A sign-in link for the demo user. The token rides in the URL fragment (`#access_token=…`),
 * which browsers never send to a server, so it reaches no access log; the web app reads it and
 * removes it from the address bar.
 * @example await signInLink('http://127.0.0.1:8080', secret.key)
 * // 'http://127.0.0.1:8080/#access_token=eyJ…'
 */
export async function signInLink(origin: string, key: Uint8Array, now?: number): Promise<string> {
  const token = await signToken(DEMO_USER, {
    key,
    ttl: DEMO_LINK_TTL,
    ...(now === undefined ? {} : { now }),
  });
  return `${origin}/#access_token=${token}`;
}
