// Browser-safe (no Node APIs, `@agentauth/auth-core/base64url`): the web client decodes a token's
// claims and builds its WebSocket bearer entry with these; the services use them to read it back.

/**
 * base64url (no padding) of a text's UTF-8 bytes.
 * @example base64UrlOfText('hé') // 'aMOp'
 */
export function base64UrlOfText(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * The text whose UTF-8 bytes `encoded` holds in base64url (padding optional). Throws on a
 * character outside base64 or bytes that are not UTF-8; canonical form is the caller's check.
 * @example textOfBase64Url('aMOp') // 'hé'
 */
export function textOfBase64Url(encoded: string): string {
  const base64 = encoded.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
