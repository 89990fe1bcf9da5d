import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreOpenError } from '../src/store/agent-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { api, createAgent, json, openSession, startHarness, tokenFor } from './harness.js';

const root = mkdtempSync(join(tmpdir(), 'agent-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('persistence across a restart', () => {
  it('keeps agents, settings, owners and step history when the service restarts on the same file', async () => {
    const dir = fresh('restart');
    const token = await tokenFor();
    const first = await startHarness({ dir });
    const agent = await createAgent(first, token);
    await api(first, `/api/agents/${agent.id}/settings`, {
      method: 'PATCH',
      token,
      body: { temperature: 1.5 },
    });
    const s = await openSession(
      `${first.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
    );
    const done = s.next((e) => e.type === 'status' && e.state === 'completed');
    s.send({ v: 1, type: 'prompt', text: 'what is 6*7?' });
    await done;
    s.ws.close();
    await first.close();

    const second = await startHarness({ dir });
    try {
      const again = await json(await api(second, `/api/agents/${agent.id}`, { token }));
      expect(again).toMatchObject({ id: agent.id, ownerUid: 7, name: 'helper' });
      expect(again.settings.temperature).toBe(1.5);
      const s2 = await openSession(
        `${second.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      const snapshot = s2.events[0];
      if (snapshot?.type !== 'snapshot') throw new Error('no snapshot');
      expect(snapshot.status).toBe('idle');
      expect(snapshot.steps.map((st) => st.kind)).toEqual([
        'prompt',
        'model_text',
        'tool_call',
        'tool_result',
        'final_answer',
      ]);
      expect(snapshot.steps.at(-1)).toMatchObject({ text: 'The answer is 42.' });
      s2.ws.close();
    } finally {
      await second.close();
    }
  });
});

describe('opening the database', () => {
  it('creates a new database in an existing directory, with WAL and a schema version', async () => {
    const path = join(fresh('new'), 'agents.db');
    const { store, info } = openSqliteStore(path);
    expect(info).toEqual({ path, created: true, agents: 0 });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: 1 });
    db.close();
    const reopened = openSqliteStore(path);
    expect(reopened.info.created).toBe(false);
    await reopened.store.close();
  });

  it('refuses a corrupt file with one clear sentence and leaves it untouched', () => {
    const path = join(fresh('corrupt'), 'agents.db');
    writeFileSync(path, 'this is not a database, but someone’s precious data'.repeat(200));
    const before = digest(path);
    expect(() => openSqliteStore(path)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(path)).toThrow(
      /^AGENT_DB_PATH \(.+\) is not a usable agent database \(.+\); it was left untouched/,
    );
    expect(digest(path)).toBe(before);
  });

  it('refuses a damaged agent database (truncated pages)', async () => {
    const path = join(fresh('truncated'), 'agents.db');
    const { store } = openSqliteStore(path);
    for (let i = 0; i < 200; i++) {
      await store.createAgent({
        name: `agent ${i}`.padEnd(90, '.'),
        modelType: 'dev-model',
        ownerUid: 1,
        settings: { maxSteps: 1, temperature: 0, systemPrompt: 'x'.repeat(2000), tools: [] },
      });
    }
    await store.close();
    const bytes = readFileSync(path);
    // Keep the header, scribble over the middle pages.
    bytes.fill(0xa5, 8192, bytes.length - 8192);
    writeFileSync(path, bytes);
    expect(() => openSqliteStore(path)).toThrow(StoreOpenError);
  });

  it('refuses an SQLite database that belongs to something else', () => {
    const path = join(fresh('other'), 'agents.db');
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    db.close();
    const before = digest(path);
    expect(() => openSqliteStore(path)).toThrow(/SQLite database of something else/);
    expect(digest(path)).toBe(before);
  });

  it('refuses a database written by a newer version', async () => {
    const path = join(fresh('newer'), 'agents.db');
    await openSqliteStore(path).store.close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/written by a newer agent-service \(schema 99/);
  });

  it('refuses a path whose directory does not exist, or that is a directory', () => {
    expect(() => openSqliteStore(join(root, 'missing', 'agents.db'))).toThrow(
      /cannot be created: its directory .+ does not exist\.$/,
    );
    expect(() => openSqliteStore(fresh('a-directory'))).toThrow(/is not a file\.$/);
  });
});
