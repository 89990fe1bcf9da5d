import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStore } from '../src/store/agent-store.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { type PostgresServer, startPostgres } from '../src/testing/postgres-server.js';

export interface StoreOptions {
  readonly clock?: () => number;
  readonly randomId?: () => string;
}

/** One way to get a fresh, empty store; the shared suites run every case on each backend. */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  setup(): Promise<void>;
  open(options?: StoreOptions): Promise<AgentStore>;
  teardown(): Promise<void>;
}

export function sqliteBackend(): StoreBackend {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'agent-store-'));
    },
    async open(options = {}) {
      return openSqliteStore(join(dir, `agents-${++n}.db`), options).store;
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real PostgreSQL server for the whole file; every `open` gets a database of its own. */
export function postgresBackend(): StoreBackend {
  let server: PostgresServer | undefined;
  return {
    name: 'postgres',
    async setup() {
      server = await startPostgres();
    },
    async open(options = {}) {
      if (!server) throw new Error('setup() first');
      const url = await server.createDatabase();
      return (await openPostgresStore(url, { max: 5, connectTimeoutMs: 5000, ...options })).store;
    },
    async teardown() {
      await server?.stop();
    },
  };
}
