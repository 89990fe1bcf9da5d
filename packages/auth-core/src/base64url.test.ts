import { describe, expect, it } from 'vitest';
import { base64UrlOfText, textOfBase64Url } from './base64url.js';

describe('base64url of text', () => {
  it('round-trips UTF-8 text without padding, in the URL alphabet', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'hé', '山'.repeat(5), '\u{1F600}?>>']) {
      const encoded = base64UrlOfText(text);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(encoded).toBe(Buffer.from(text).toString('base64url'));
      expect(textOfBase64Url(encoded)).toBe(text);
    }
  });

  it('throws on bytes that are not UTF-8 and on a length no base64 has', () => {
    expect(() => textOfBase64Url(Buffer.from([0xff, 0xfe]).toString('base64url'))).toThrow();
    expect(() => textOfBase64Url('abcde')).toThrow();
  });
});
