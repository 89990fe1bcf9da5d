import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreOpenError, StoreUnavailableError } from '../src/store/agent-store.js';
import { LATEST_VERSION } from '../src/store/postgres/migrations.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { type PostgresServer, startPostgres } from '../src/testing/postgres-server.js';

// What only the PostgreSQL store has: migrations shared by replicas, a bounded pool, outages.
// The semantics both stores share are in store-contract.test.ts.
let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server.stop());

const pool = { max: 3, connectTimeoutMs: 3000 };
async function sql<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe('openPostgresStore', () => {
  it('applies each migration once when several replicas start at the same moment', async () => {
    const url = await server.createDatabase();
    const opened = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore(url, pool)));
    expect(opened.flatMap((o) => o.info.migrated)).toEqual([LATEST_VERSION]);
    const rows = await sql<{ version: number }>(url, 'SELECT version FROM agent_schema_migrations');
    expect(rows.map((r) => r.version)).toEqual([LATEST_VERSION]);
    await Promise.all(opened.map((o) => o.store.close()));
    const again = await openPostgresStore(url, pool);
    expect(again.info).toMatchObject({ migrated: [], agents: 0 });
    expect(again.info.database).toMatch(/agents_\d+$/);
    await again.store.close();
  });

  it('refuses a database migrated by a newer version and leaves it untouched', async () => {
    const url = await server.createDatabase();
    await (await openPostgresStore(url, pool)).store.close();
    await sql(url, "INSERT INTO agent_schema_migrations (version, name) VALUES (99, 'future')");
    await expect(openPostgresStore(url, pool)).rejects.toThrow(
      /^AGENT_DATABASE_URL \(.+\) was migrated by a newer agent-service \(schema 99, this one knows 1\); it was left untouched\.$/,
    );
  });

  it('refuses an unreachable server with one sentence that names the variable, not the password', async () => {
    const url = `postgres://agent:s3cret-pw@localhost/agents?host=${encodeURIComponent(`${server.dir}/nowhere`)}`;
    const error = await openPostgresStore(url, pool).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(
      /^AGENT_DATABASE_URL: cannot connect to PostgreSQL at .+\/nowhere\/agents \(.+\)\.$/,
    );
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('refuses a role that may not create the schema with one sentence', async () => {
    const url = await server.createDatabase();
    // PostgreSQL 15: only the database owner may create in its public schema.
    await sql(server.url, 'CREATE ROLE limited_agent LOGIN');
    const limited = url.replace('agentauth@', 'limited_agent@');
    await expect(openPostgresStore(limited, pool)).rejects.toThrow(
      /^AGENT_DATABASE_URL \(.+\) could not be migrated to the agent schema \(permission denied for schema public\)\.$/,
    );
  });

  it('never holds more connections than the pool allows', async () => {
    const url = await server.createDatabase();
    const { store } = await openPostgresStore(url, { ...pool, max: 2 });
    const dbName = new URL(url).pathname.slice(1);
    const agent = await store.createAgent({
      name: 'a',
      modelType: 'm',
      ownerUid: 1,
      settings: { maxSteps: 1, temperature: 0, systemPrompt: '', tools: [] },
    });
    let peak = 0;
    const watch = setInterval(() => {
      sql<{ n: number }>(
        server.url,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'agentauth-agent-service'",
        [dbName],
      ).then((r) => {
        peak = Math.max(peak, r[0]?.n ?? 0);
      });
    }, 5);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.updateSettings(agent.id, { temperature: (i % 20) / 10 }),
      ),
    );
    clearInterval(watch);
    const final = await sql<{ n: number }>(
      server.url,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'agentauth-agent-service'",
      [dbName],
    );
    expect(Math.max(peak, final[0]?.n ?? 0)).toBeGreaterThan(0);
    expect(Math.max(peak, final[0]?.n ?? 0)).toBeLessThanOrEqual(2);
    await store.close();
  });

  it('rejects with StoreUnavailableError while the server is away, and works again when it is back', async () => {
    const url = await server.createDatabase();
    const { store } = await openPostgresStore(url, pool);
    await store.listAgents();
    await server.pause();
    try {
      await expect(store.listAgents()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getAgent('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await server.resume();
    }
    expect(await store.listAgents()).toEqual([]);
    await store.close();
  });
});
