import { readTokenClaims } from '@agentauth/agent-client';
import { FRAGMENT_TOKEN_PARAM } from './token-from-fragment.js';

/**
 * What the user pasted into the sign-in box, as a token: the whole sign-in link
 * (`…/#access_token=<jwt>`) or just the token. `null` when it is neither.
 * @example tokenFromInput('http://127.0.0.1:8080/#access_token=eyJ…') // 'eyJ…'
 */
export function tokenFromInput(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const marker = `${FRAGMENT_TOKEN_PARAM}=`;
  const at = text.indexOf(marker);
  const candidate =
    at >= 0 ? (new URLSearchParams(text.slice(at)).get(FRAGMENT_TOKEN_PARAM) ?? '') : text;
  const token = candidate.trim();
  return token && readTokenClaims(token) !== null ? token : null;
}
