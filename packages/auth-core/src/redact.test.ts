import { describe, expect, it } from 'vitest';
import { redactHeaders } from './redact.js';
import { bearerProtocol } from './websocket-protocol.js';

// redactUrl's cases sit with the extraction rule they mirror, in query-token.test.ts.
describe('redactHeaders', () => {
  it('masks credentials in any case and keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', cookie: 'c', host: 'h' })).toEqual({
      Authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      host: 'h',
    });
  });

  it('masks the token entry of Sec-WebSocket-Protocol and keeps the real protocol', () => {
    const header = `agentauth.react.v1, ${bearerProtocol('eyJ.a.b')}`;
    expect(redactHeaders({ 'sec-websocket-protocol': header })).toEqual({
      'sec-websocket-protocol':
        'agentauth.react.v1, base64url.bearer.authorization.agentauth.dev.[REDACTED]',
    });
  });
});
