import { describe, expect, it } from 'vitest';
import { canonicalTarget } from './canonical-path.js';

describe('canonicalTarget', () => {
  it.each([
    ['/', '/'],
    ['/api/agents', '/api/agents'],
    ['/api/agents/', '/api/agents/'],
    ['/api/agents/42/settings', '/api/agents/42/settings'],
    // duplicate slashes merge, as nginx (merge_slashes) and Envoy Gateway do
    ['//api/agents', '/api/agents'],
    ['/api//agents///42', '/api/agents/42'],
    ['/api/agents//', '/api/agents/'],
    ['///', '/'],
    // dot segments resolve (RFC 3986 §5.2.4)
    ['/api/agents/./42', '/api/agents/42'],
    ['/api/agents/42/..', '/api/agents/'],
    ['/api/agents/42/.', '/api/agents/42/'],
    ['/api/x/../agents', '/api/agents'],
    ['/api/agents/../admin', '/api/admin'],
    ['/api/..', '/'],
    ['/.', '/'],
    ['/api/agents/.../x', '/api/agents/.../x'],
    ['/api/agents/..x', '/api/agents/..x'],
    // unreserved escapes decode (also %2e, so encoded dot segments resolve like plain ones)
    ['/api/%61gents', '/api/agents'],
    ['/api/%41gents', '/api/Agents'],
    ['/api/agents/%2e%2e/admin', '/api/admin'],
    ['/api/agents/%2E/42', '/api/agents/42'],
    ['/api/agents/.%2e/x', '/api/x'],
    ['/api/agents/%7e%5f%2d', '/api/agents/~_-'],
    // other escapes stay encoded, normalised to upper-case hex
    ['/api/agents/%3f', '/api/agents/%3F'],
    ['/api/agents/%c3%a9', '/api/agents/%C3%A9'],
    ['/api/agents/%25', '/api/agents/%25'],
    ['/api/agents/%2561', '/api/agents/%2561'],
    ['/api/agents/a;b=c:d@e', '/api/agents/a;b=c:d@e'],
  ])('canonicalises %s to %s', (target, path) => {
    expect(canonicalTarget(target)?.path).toBe(path);
  });

  it('keeps the query verbatim and apart from the path', () => {
    expect(canonicalTarget('/api//agents/1/react?access-token=a.b.c&x=%2F')).toEqual({
      path: '/api/agents/1/react',
      search: '?access-token=a.b.c&x=%2F',
    });
    expect(canonicalTarget('/api/agents?')).toEqual({ path: '/api/agents', search: '?' });
    expect(canonicalTarget('/api/agents')).toEqual({ path: '/api/agents', search: '' });
    // an escaped "?" is part of the path, not a query delimiter
    expect(canonicalTarget('/api/agents%3Faccess-token=x')).toEqual({
      path: '/api/agents%3Faccess-token=x',
      search: '',
    });
  });

  it.each([
    ['an empty target', ''],
    ['a relative path', 'api/agents'],
    ['an absolute-form target', 'http://evil.example/api/agents'],
    ['the asterisk form', '*'],
    ['an encoded slash', '/api/agents%2F42'],
    ['an encoded slash in lower case', '/api%2fagents'],
    ['an encoded backslash', '/api/agents%5C42'],
    ['a raw backslash', '/api/agents\\42'],
    ['a dot-dot above the root', '/..'],
    ['an encoded dot-dot above the root', '/api/agents/%2e%2e/%2E%2E/..'],
    ['a truncated escape', '/api/agents/%4'],
    ['an escape at the end', '/api/agents/%'],
    ['a non-hex escape', '/api/agents/%zz'],
    ['an encoded NUL', '/api/agents/%00'],
    ['an encoded line feed', '/api/agents/%0a'],
    ['an encoded DEL', '/api/agents/%7F'],
    ['a raw NUL', '/api/agents/\u0000'],
    ['a raw tab', '/api/agents/\t1'],
    ['a raw space', '/api/agents/ 1'],
    ['a raw DEL', '/api/agents/\u007f'],
    ['a raw non-ASCII character', '/api/agents/é'],
    ['a raw quote', '/api/agents/"x"'],
    ['a fragment', '/api/agents#x'],
    ['a fragment after the query', '/api/agents?a=1#x'],
    ['a control character in the query', '/api/agents?access-token=a\rb'],
    ['a space in the query', '/api/agents?a b'],
  ])('refuses %s', (_name, target) => {
    expect(canonicalTarget(target)).toBeUndefined();
  });
});
