import type { Logger } from 'pino';
import type { RunManager } from '../agent/run-manager.js';
import type { LlmClient } from '../llm/llm-client.js';
import type { ModelCatalog } from '../llm/model-catalog.js';
import type { AgentAccessPolicy } from '../policy/agent-access.js';
import type { AgentStore } from '../store/agent-store.js';
import type { UsageStore, UserLimits } from '../usage/usage-store.js';

/** What the route modules need. */
export interface RouteDeps {
  readonly store: AgentStore;
  readonly llm: LlmClient;
  readonly runs: RunManager;
  readonly policy: AgentAccessPolicy;
  readonly logger: Logger;
  readonly catalog: ModelCatalog;
  readonly usage: UsageStore;
  readonly limits: UserLimits;
  readonly maxTokens: number;
  readonly clock: () => number;
}
