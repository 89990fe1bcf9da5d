import { describe, expect, it } from 'vitest';
import { scanJsonMembers } from './json-members.js';

describe('scanJsonMembers', () => {
  it('finds duplicated member names at any depth, including escaped spellings', () => {
    expect(scanJsonMembers('{"role":"ADMIN","role":"REGULAR"}').duplicateKey).toBe(true);
    expect(scanJsonMembers('{"a":{"b":1,"b":2}}').duplicateKey).toBe(true);
    expect(scanJsonMembers('{"sub":"x","\\u0073ub":"y"}').duplicateKey).toBe(true);
    expect(scanJsonMembers('{"a":{"b":1},"c":[{"b":1},{"b":2}]}').duplicateKey).toBe(false);
  });

  it('keeps the raw text of each top-level member', () => {
    const { topLevel } = scanJsonMembers(
      '{ "userId" : 7e0 , "sub":"a,b}", "nested":{"userId":1}, "list":[1,{"x":"]"}], "exp":1.5E9}',
    );
    expect(topLevel.get('userId')).toBe('7e0');
    expect(topLevel.get('sub')).toBe('"a,b}"');
    expect(topLevel.get('nested')).toBe('{"userId":1}');
    expect(topLevel.get('list')).toBe('[1,{"x":"]"}]');
    expect(topLevel.get('exp')).toBe('1.5E9');
  });
});
