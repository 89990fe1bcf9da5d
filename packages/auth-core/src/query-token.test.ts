import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryTokens, redactQueryTokens } from './query-token.js';
import { redactUrl } from './redact.js';
import { notTokenParamSpellings, tokenParamSpellings } from './testing/token-param-spellings.js';

const T = 'eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA.c2ln';

describe('queryTokens', () => {
  it('reads every access-token value and ignores the fragment', () => {
    expect(queryTokens('/a?x=1&access-token=abc&access-token=d%2Ee#access-token=zzz')).toEqual([
      'abc',
      'd.e',
    ]);
    expect(queryTokens('/a')).toEqual([]);
    expect(queryTokens('?access-token=abc')).toEqual(['abc']);
  });

  it.each(tokenParamSpellings())(
    'reads the token of %s (its decoded name is access-token)',
    (name) => {
      expect(queryTokens(`/api/agents?x=1&${name}=${T}`)).toEqual([T]);
    },
  );

  it.each(notTokenParamSpellings())('does not read %s (another parameter)', (name) => {
    expect(queryTokens(`/api/agents?${name}=${T}`)).toEqual([]);
  });

  it('does not strip a ? that starts a later pair (as URLSearchParams does at the start)', () => {
    expect(queryTokens(`/a?x=1&?access-token=${T}`)).toEqual([]);
  });
});

describe('redactUrl', () => {
  it.each([
    ['/api/agents/1/react?access-token=eyJ.a.b', '/api/agents/1/react?access-token=[REDACTED]'],
    ['/x?a=1&access-token=eyJ&b=2', '/x?a=1&access-token=[REDACTED]&b=2'],
    ['/x?access-token=eyJ#frag', '/x?access-token=[REDACTED]#frag'],
    ['/x?access-token=a=b', '/x?access-token=[REDACTED]'],
    ['/x?access-token', '/x?access-token'],
    ['/x?notatoken=1', '/x?notatoken=1'],
    ['/x', '/x'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each(tokenParamSpellings())('redacts the value of %s and keeps the name as sent', (name) => {
    expect(redactUrl(`/api/agents?x=1&${name}=${T}&y=2`)).toBe(
      `/api/agents?x=1&${name}=[REDACTED]&y=2`,
    );
  });

  it.each(notTokenParamSpellings())('keeps %s, which no service reads as a token', (name) => {
    expect(redactUrl(`/api/agents?${name}=v`)).toBe(`/api/agents?${name}=v`);
  });
});

describe('the extraction rule and the redaction rule', () => {
  // Names built from pieces of "access-token", their percent-encodings and separators, so the
  // generator hits the encoded spellings often.
  const piece = fc.constantFrom(
    ...'access-token'.split(''),
    '%2D',
    '%2d',
    '%61',
    '%65',
    '+',
    '%',
    '=',
    '?',
    '%25',
    'A',
  );
  const name = fc.oneof(
    fc.constantFrom(...tokenParamSpellings(), ...notTokenParamSpellings()),
    fc.array(piece, { minLength: 1, maxLength: 14 }).map((p) => p.join('')),
  );
  const query = fc.array(fc.tuple(name, fc.constantFrom(T, 'x', '')), { maxLength: 5 });

  it('agree: whatever is read as a token is what redaction removes, and nothing else', () => {
    fc.assert(
      fc.property(query, (pairs) => {
        const url = `/api/agents?${pairs.map(([n, v]) => `${n}=${v}`).join('&')}`;
        const read = queryTokens(url).length;
        const redacted = redactQueryTokens(url, '[REDACTED]');
        // Every value extraction reads is gone, ...
        expect(queryTokens(redacted).every((v) => v === '[REDACTED]')).toBe(true);
        expect(queryTokens(redacted)).toHaveLength(read);
        // ... and redaction changed only those values.
        const changed = redacted.split('[REDACTED]').length - 1;
        expect(changed).toBe(read);
      }),
      { numRuns: 2000 },
    );
  });
});
