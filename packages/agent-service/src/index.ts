export { type AgentServiceApp, type AppConfig, type AppDeps, createApp } from './app.js';
export { type AgentServiceConfig, ConfigError, EnvSchema, loadConfig } from './config.js';
export type { LlmClient } from './llm/llm-client.js';
export { LlmError } from './llm/llm-client.js';
export { createOpenAiClient, type OpenAiClientOptions } from './llm/openai-client.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
export {
  type AgentAccessPolicy,
  type AgentAction,
  ownerOnlyPolicy,
  phase1Policy,
} from './policy/agent-access.js';
export { createLocalRuns } from './runs/local-runs.js';
export { createPostgresRuns, type PostgresRunsOptions } from './runs/postgres-runs.js';
export type { RunCoordinator } from './runs/run-coordinator.js';
export {
  type AgentStore,
  type NewAgent,
  StoreOpenError,
  StoreUnavailableError,
} from './store/agent-store.js';
export { openStorage } from './store/open-storage.js';
export {
  openPostgresStore,
  type PostgresStoreInfo,
  type PostgresStoreOptions,
} from './store/postgres/postgres-store.js';
export { openSqliteStore, type SqliteStoreInfo } from './store/sqlite-store.js';
