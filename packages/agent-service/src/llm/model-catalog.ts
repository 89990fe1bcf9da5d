import type { ModelInfo } from '@agentauth/agent-api';
import type { LlmClient } from './llm-client.js';

export interface ModelCatalogOptions {
  /** Models an agent may use; empty = every model the provider lists. */
  readonly allowList: readonly string[];
  /** How long a fetched model list is served before it is fetched again. */
  readonly refreshMs: number;
  readonly clock: () => number;
}

export type ModelCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly allowed: readonly string[] };

export interface ModelCatalog {
  /** The provider's models on the allow-list (cached; one fetch at a time). Throws LlmError. */
  list(): Promise<ModelInfo[]>;
  /** Whether an agent may use `model`: listed by the provider and on the allow-list. */
  check(model: string): Promise<ModelCheck>;
}

/**
 * The models agents may use: the provider's `/models`, cached for `refreshMs` (concurrent callers
 * share one fetch), intersected with the optional allow-list. A failed fetch is not cached.
 * @example const catalog = createModelCatalog(llm, { allowList: [], refreshMs: 60_000, clock: Date.now })
 */
export function createModelCatalog(llm: LlmClient, options: ModelCatalogOptions): ModelCatalog {
  const allow = new Set(options.allowList);
  let cached: { readonly at: number; readonly models: ModelInfo[] } | undefined;
  let pending: Promise<ModelInfo[]> | undefined;

  const list = async (): Promise<ModelInfo[]> => {
    if (cached && options.clock() - cached.at < options.refreshMs) return cached.models;
    pending ??= llm
      .listModels()
      .then((models) => {
        const usable = allow.size === 0 ? models : models.filter((m) => allow.has(m.id));
        cached = { at: options.clock(), models: usable };
        return usable;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    list,
    async check(model) {
      const models = await list();
      if (models.some((m) => m.id === model)) return { ok: true };
      return { ok: false, allowed: models.map((m) => m.id) };
    },
  };
}

/**
 * The 400 sentence for a model agents may not use, naming the ones they may.
 * @example unknownModelMessage('gpt-9', ['dev-model']) // 'The model `gpt-9` is not available here; use one of: dev-model.'
 */
export function unknownModelMessage(model: string, allowed: readonly string[]): string {
  const list = allowed.length === 0 ? 'none is available now' : `use one of: ${allowed.join(', ')}`;
  return `The model \`${model}\` is not available here; ${list}.`;
}
