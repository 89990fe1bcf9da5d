import { describe, expect, it } from 'vitest';
import {
  BEARER_PROTOCOL_PREFIX,
  bearerProtocol,
  readOfferedProtocols,
  redactProtocolHeader,
} from './websocket-protocol.js';

const T = 'eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA.c2ln';

describe('bearerProtocol', () => {
  it('is the prefix plus the unpadded base64url of the token', () => {
    expect(bearerProtocol(T)).toBe(
      `${BEARER_PROTOCOL_PREFIX}${Buffer.from(T).toString('base64url')}`,
    );
    expect(BEARER_PROTOCOL_PREFIX).toBe('base64url.bearer.authorization.agentauth.dev.');
  });

  it('is a valid subprotocol token (RFC 6455: an RFC 7230 token)', () => {
    expect(bearerProtocol(`${T}/+=`)).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
  });
});

describe('readOfferedProtocols', () => {
  it('separates the real protocols from the token entries, over several header lines', () => {
    expect(readOfferedProtocols([`agentauth.react.v1 , ${bearerProtocol(T)}`, 'chat'])).toEqual({
      protocols: ['agentauth.react.v1', 'chat'],
      tokens: [T],
    });
    expect(readOfferedProtocols(undefined)).toEqual({ protocols: [], tokens: [] });
  });

  it('reads a case variant of the prefix as a token entry, never as a protocol', () => {
    const entry = bearerProtocol(T).replace('base64url.bearer', 'Base64URL.Bearer');
    expect(readOfferedProtocols(entry)).toEqual({ protocols: [], tokens: [T] });
  });

  it.each([
    ['padding', `${bearerProtocol(T)}=`],
    ['standard base64 characters', `${BEARER_PROTOCOL_PREFIX}ab+c`],
    ['an impossible length', `${BEARER_PROTOCOL_PREFIX}abcde`],
    ['non-canonical trailing bits', `${BEARER_PROTOCOL_PREFIX}YR`],
    ['bytes that are not UTF-8', `${BEARER_PROTOCOL_PREFIX}_w`],
  ])('marks an entry with %s as undecodable', (_, entry) => {
    expect(readOfferedProtocols(entry).tokens).toEqual([undefined]);
  });
});

describe('redactProtocolHeader', () => {
  it('keeps the real protocols and replaces only the token', () => {
    const header = `agentauth.react.v1, ${bearerProtocol(T)}`;
    const redacted = redactProtocolHeader(header, '[REDACTED]');
    expect(redacted).toBe(`agentauth.react.v1, ${BEARER_PROTOCOL_PREFIX}[REDACTED]`);
    expect(redacted).not.toContain(bearerProtocol(T).slice(BEARER_PROTOCOL_PREFIX.length));
  });
});
