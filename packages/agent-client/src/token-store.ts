/** The platform's localStorage key for the user's JWT (the same key Texera's frontend uses). */
export const TOKEN_STORAGE_KEY = 'access_token';

/** The part of the Web Storage API the token store needs; tests pass an in-memory one. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The one place that reads and writes the user's token. Every REST call and every WebSocket
 * URL gets the token from `get()` at the moment it is sent, so a fresh sign-in applies at once.
 */
export interface TokenStore {
  /** The current token, or `null` when signed out. */
  get(): string | null;
  set(token: string): void;
  clear(): void;
  /** Called after every change (this tab or, with `window`, another tab); returns unsubscribe. */
  subscribe(listener: (token: string | null) => void): () => void;
}

export interface TokenStoreOptions {
  /** Default: `globalThis.localStorage`. */
  readonly storage?: TokenStorage;
  /** When given, `storage` events from other tabs notify subscribers too. */
  readonly window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/**
 * Creates the token store over `localStorage["access_token"]`.
 * @example const tokens = createTokenStore(); tokens.set(tokenFromLink); tokens.get()
 */
export function createTokenStore(options: TokenStoreOptions = {}): TokenStore {
  const storage = options.storage ?? globalThis.localStorage;
  const listeners = new Set<(token: string | null) => void>();
  const notify = () => {
    const token = read();
    for (const listener of listeners) listener(token);
  };
  const read = (): string | null => {
    const value = storage.getItem(TOKEN_STORAGE_KEY);
    return value === null || value.trim() === '' ? null : value.trim();
  };
  const onStorage = (event: Event) => {
    if ((event as StorageEvent).key === TOKEN_STORAGE_KEY || (event as StorageEvent).key === null) {
      notify();
    }
  };
  return {
    get: read,
    set(token) {
      storage.setItem(TOKEN_STORAGE_KEY, token.trim());
      notify();
    },
    clear() {
      storage.removeItem(TOKEN_STORAGE_KEY);
      notify();
    },
    subscribe(listener) {
      if (listeners.size === 0) options.window?.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) options.window?.removeEventListener('storage', onStorage);
      };
    },
  };
}

/**
 * An in-memory `TokenStorage`, for tests and for environments without Web Storage.
 * @example createTokenStore({ storage: memoryStorage({ access_token: token }) })
 */
export function memoryStorage(initial: Record<string, string> = {}): TokenStorage {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}
