import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Agent, AgentSettings, Step, type UpdateSettingsRequest } from '@agentauth/agent-api';
import Database from 'better-sqlite3';
import {
  type AgentStore,
  type NewAgent,
  reason,
  type StepPage,
  type StepPageRequest,
  StoreOpenError,
  type StoreOptions,
} from './agent-store.js';
import { SCHEMA_V1, SCHEMA_VERSION } from './schema.js';
import { pageOf } from './step-page.js';
import { storedSettings } from './stored-settings.js';

/** What opening found, for the start-up log line. */
export interface SqliteStoreInfo {
  readonly path: string;
  readonly created: boolean;
  readonly agents: number;
}

interface AgentRow {
  id: string;
  name: string;
  model_type: string;
  owner_uid: number;
  settings: string;
  created_at: string;
  updated_at: string;
}

/**
 * Opens (or, when the file does not exist yet, creates) the SQLite agent database. WAL journal,
 * foreign keys on, a schema version table. A file that is not an agent database, is damaged, was
 * written by a newer version, or cannot be read throws a StoreOpenError and is left untouched —
 * the store never recreates or overwrites an existing file. The parent directory must exist.
 * @example const { store, info } = openSqliteStore('./data/agents.db')
 */
export function openSqliteStore(
  path: string,
  options: StoreOptions = {},
): { store: AgentStore; info: SqliteStoreInfo } {
  const { clock = Date.now, randomId = () => crypto.randomUUID() } = options;
  const full = resolve(path);
  const where = `AGENT_DB_PATH (${full})`;
  const exists = existsSync(full);
  if (exists && !statSync(full).isFile()) {
    throw new StoreOpenError(`${where} is not a file.`);
  }
  if (!exists && !existsSync(dirname(full))) {
    throw new StoreOpenError(
      `${where} cannot be created: its directory ${dirname(full)} does not exist.`,
    );
  }

  let db: Database.Database;
  try {
    db = new Database(full, { fileMustExist: exists });
  } catch (error) {
    throw new StoreOpenError(`${where} cannot be opened: ${reason(error)}.`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed (${String(check)})`);
    // Look before changing anything: a foreign or newer file must stay byte-for-byte untouched.
    const empty = inspect(db, where);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (empty) createSchema(db);
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(
      `${where} is not a usable agent database (${reason(error)}); it was left untouched — restore it from a backup or point AGENT_DB_PATH elsewhere.`,
    );
  }

  const q = {
    list: db.prepare<[], AgentRow>('SELECT * FROM agents ORDER BY created_at, id'),
    get: db.prepare<[string], AgentRow>('SELECT * FROM agents WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO agents (id, name, model_type, owner_uid, settings, created_at, updated_at) VALUES (@id, @name, @model_type, @owner_uid, @settings, @created_at, @updated_at)',
    ),
    delete: db.prepare<[string]>('DELETE FROM agents WHERE id = ?'),
    setSettings: db.prepare<[string, string, string]>(
      'UPDATE agents SET settings = ?, updated_at = ? WHERE id = ?',
    ),
    insertStep: db.prepare(
      'INSERT INTO steps (agent_id, run_id, seq, kind, body, at) VALUES (@agent_id, @run_id, @seq, @kind, @body, @at)',
    ),
    steps: db.prepare<[string, number], { body: string }>(
      'SELECT body FROM (SELECT id, body FROM steps WHERE agent_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id',
    ),
    stepsBefore: db.prepare<[string, number, number], { id: number; body: string }>(
      'SELECT id, body FROM steps WHERE agent_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ),
    latestStep: db.prepare<[string], { id: number | null }>(
      'SELECT max(id) AS id FROM steps WHERE agent_id = ?',
    ),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM agents'),
  };

  const pageSteps = (agentId: string, page: StepPageRequest): StepPage => {
    const before = page.before === undefined ? Number.MAX_SAFE_INTEGER : Number(page.before);
    return pageOf(q.stepsBefore.all(agentId, before, page.limit + 1), page);
  };

  const now = () => new Date(clock()).toISOString();

  const updateSettings = db.transaction((id: string, patch: UpdateSettingsRequest) => {
    const row = q.get.get(id);
    if (!row) return undefined;
    const merged = AgentSettings.parse({ ...toAgent(row).settings, ...patch });
    q.setSettings.run(JSON.stringify(merged), now(), id);
    return merged;
  });

  const appendSteps = db.transaction((agentId: string, steps: readonly Step[]) => {
    if (!q.get.get(agentId)) return false;
    for (const step of steps) {
      q.insertStep.run({
        agent_id: agentId,
        run_id: step.runId,
        seq: step.seq,
        kind: step.kind,
        body: JSON.stringify(step),
        at: step.at,
      });
    }
    return true;
  });

  // better-sqlite3 is synchronous; the async interface lets the PostgreSQL store share callers.
  const store: AgentStore = {
    listAgents: async () => q.list.all().map(toAgent),
    getAgent: async (id) => {
      const row = q.get.get(id);
      return row ? toAgent(row) : undefined;
    },
    createAgent: async (agent: NewAgent) => {
      const at = now();
      const row: AgentRow = {
        id: randomId(),
        name: agent.name,
        model_type: agent.modelType,
        owner_uid: agent.ownerUid,
        settings: JSON.stringify(AgentSettings.parse(agent.settings)),
        created_at: at,
        updated_at: at,
      };
      q.insert.run(row);
      return toAgent(row);
    },
    deleteAgent: async (id) => q.delete.run(id).changes > 0,
    updateSettings: async (id, patch) => updateSettings(id, patch),
    appendSteps: async (agentId, steps) => appendSteps(agentId, steps),
    listSteps: async (agentId, limit) =>
      q.steps.all(agentId, limit).flatMap((r) => {
        const step = Step.safeParse(JSON.parse(r.body));
        return step.success ? [step.data] : [];
      }),
    pageSteps: async (agentId, page) => pageSteps(agentId, page),
    latestStepId: async (agentId) => q.latestStep.get(agentId)?.id ?? 0,
    close: async () => {
      if (db.open) db.close();
    },
  };
  return { store, info: { path: full, created: !exists, agents: q.count.get()?.n ?? 0 } };
}

/** True for a database without tables (new); throws for one that is not ours or is newer. */
function inspect(db: Database.Database, where: string): boolean {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
    .map((t) => t.name);
  if (tables.length === 0) return true;
  if (!tables.includes('schema_version')) {
    throw new StoreOpenError(
      `${where} is an SQLite database of something else (no schema_version table); it was left untouched.`,
    );
  }
  const version = db
    .prepare<[], { version: number }>('SELECT max(version) AS version FROM schema_version')
    .get()?.version;
  if (version === SCHEMA_VERSION) return false;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      `${where} was written by a newer agent-service (schema ${version}, this one knows ${SCHEMA_VERSION}); it was left untouched.`,
    );
  }
  throw new StoreOpenError(
    `${where} has an unknown schema version (${String(version)}); it was left untouched.`,
  );
}

function createSchema(db: Database.Database): void {
  db.transaction(() => {
    db.exec(SCHEMA_V1);
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
  })();
}

function toAgent(row: AgentRow): Agent {
  const settings = storedSettings(JSON.parse(row.settings));
  return {
    id: row.id,
    name: row.name,
    modelType: row.model_type,
    ownerUid: row.owner_uid,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    settings,
  };
}
