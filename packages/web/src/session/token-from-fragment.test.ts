import { describe, expect, it, vi } from 'vitest';
import { takeTokenFromFragment } from './token-from-fragment.js';

const at = (hash: string) => ({ hash, pathname: '/app/', search: '?x=1' });

describe('takeTokenFromFragment', () => {
  it('takes #access_token=… and removes it from the address bar', () => {
    const history = { state: { s: 1 }, replaceState: vi.fn() };
    expect(takeTokenFromFragment(at('#access_token=eyJ.a.b'), history)).toBe('eyJ.a.b');
    expect(history.replaceState).toHaveBeenCalledWith({ s: 1 }, '', '/app/?x=1');
  });

  it('keeps other fragment parameters', () => {
    const history = { state: null, replaceState: vi.fn() };
    takeTokenFromFragment(at('#access_token=t&tab=chat'), history);
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/app/?x=1#tab=chat');
  });

  it('leaves the URL alone when there is no token', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeTokenFromFragment(at(''), history)).toBeNull();
    expect(takeTokenFromFragment(at('#section'), history)).toBeNull();
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it('removes an empty access_token but returns no token', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeTokenFromFragment(at('#access_token='), history)).toBeNull();
    expect(history.replaceState).toHaveBeenCalledOnce();
  });
});
