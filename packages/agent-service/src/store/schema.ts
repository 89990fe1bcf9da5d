/** Bump when the schema changes, and add a migration from the previous version. */
export const SCHEMA_VERSION = 1;

/** Version 1: agents with JSON settings, and their step history. */
export const SCHEMA_V1 = `
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE agents (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  model_type  TEXT NOT NULL,
  owner_uid   INTEGER NOT NULL,
  settings    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE TABLE steps (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id  TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  run_id    TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  body      TEXT NOT NULL,
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX steps_by_agent ON steps (agent_id, id);
`;
