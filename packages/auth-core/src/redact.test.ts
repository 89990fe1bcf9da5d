import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it.each([
    ['/api/agents/1/react?access-token=eyJ.a.b', '/api/agents/1/react?access-token=[REDACTED]'],
    ['/x?a=1&access-token=eyJ&b=2', '/x?a=1&access-token=[REDACTED]&b=2'],
    ['/x?ACCESS-TOKEN=eyJ#frag', '/x?ACCESS-TOKEN=[REDACTED]#frag'],
    ['/x?token=eyJ', '/x?token=[REDACTED]'],
    ['/x?notatoken=1', '/x?notatoken=1'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redactHeaders', () => {
  it('masks credentials in any case and keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', cookie: 'c', host: 'h' })).toEqual({
      Authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      host: 'h',
    });
  });
});
