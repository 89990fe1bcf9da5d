import { describe, expect, it, vi } from 'vitest';
import { createTokenStore, memoryStorage, TOKEN_STORAGE_KEY } from './token-store.js';

describe('createTokenStore', () => {
  it('uses the platform key access_token', () => {
    expect(TOKEN_STORAGE_KEY).toBe('access_token');
    const storage = memoryStorage();
    createTokenStore({ storage }).set(' abc ');
    expect(storage.getItem('access_token')).toBe('abc');
  });

  it('treats a missing or blank value as signed out', () => {
    expect(createTokenStore({ storage: memoryStorage() }).get()).toBeNull();
    expect(createTokenStore({ storage: memoryStorage({ access_token: '  ' }) }).get()).toBeNull();
  });

  it('notifies subscribers on set and clear', () => {
    const store = createTokenStore({ storage: memoryStorage() });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set('t1');
    store.clear();
    unsubscribe();
    store.set('t2');
    expect(listener.mock.calls).toEqual([['t1'], [null]]);
  });

  it('notifies subscribers when another tab changes the token', () => {
    const target = new EventTarget();
    const storage = memoryStorage();
    const store = createTokenStore({ storage, window: target as unknown as Window });
    const listener = vi.fn();
    store.subscribe(listener);
    storage.setItem('access_token', 'from-other-tab');
    target.dispatchEvent(Object.assign(new Event('storage'), { key: 'access_token' }));
    target.dispatchEvent(Object.assign(new Event('storage'), { key: 'unrelated' }));
    expect(listener.mock.calls).toEqual([['from-other-tab']]);
  });
});
