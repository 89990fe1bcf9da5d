export type { CompletionStats } from './completion.js';
export { ConfigError, type DevModelConfig, EnvSchema, readConfig } from './config.js';
export { DEFAULT_DEV_MODEL, DEV_MODELS, isDevModel } from './models.js';
export { type PlannedCall, planReply, type Reply } from './reply-plan.js';
export { createDevModelServer, type DevModelServer, type DevModelServerOptions } from './server.js';
