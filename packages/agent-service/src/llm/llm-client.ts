import type { ModelInfo } from '@agentauth/agent-api';

/** A chat message in the OpenAI format the loop keeps. */
export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly tool_calls?: readonly ToolCall[];
    }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

export interface ToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** A tool offered to the model (OpenAI function tool). */
export interface ToolDefinition {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: Record<string, unknown>;
  };
}

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolDefinition[];
  readonly temperature?: number;
  /** `max_tokens` of the completion. */
  readonly maxTokens?: number;
  /** The prompting user's id: the OpenAI `user` field and LiteLLM's end-user header. */
  readonly user?: string;
  /** Sent as the request's `metadata` (LiteLLM logs it with the spend): agent and run ids. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What one chat call cost, as the provider reported it (or estimated when it did not). */
export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** USD, when the provider reports a cost. */
  readonly costUsd: number | undefined;
  /** True when the provider sent no usage (a stopped or broken stream): ~4 characters a token. */
  readonly estimated: boolean;
}

/** One model turn, assembled from the stream. */
export interface ChatTurn {
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string | null;
}

export interface ChatOptions {
  /** Aborts the HTTP request (stop). */
  readonly signal?: AbortSignal;
  /** Called with each piece of model text as it arrives. */
  readonly onTextDelta?: (delta: string) => void;
  /**
   * Called once per call the provider accepted (2xx), also when the stream then failed or was
   * stopped — a provider bills what it generated, so a stop is no way around a budget.
   */
  readonly onUsage?: (usage: ChatUsage) => void;
}

/** The one LLM provider interface: an OpenAI-compatible endpoint. */
export interface LlmClient {
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatTurn>;
}

/**
 * What a provider failure means for the user: the provider is down or broken
 * (`ERR_LLM_UNAVAILABLE`), refuses this service's credentials (`ERR_LLM_PROVIDER_AUTH`, for an
 * operator), rate-limits (`ERR_RATE_LIMITED`), refuses a budget (`ERR_BUDGET_EXCEEDED`), or does not
 * know the model (`ERR_MODEL_UNKNOWN`).
 */
export type LlmErrorCode =
  | 'ERR_LLM_UNAVAILABLE'
  | 'ERR_LLM_PROVIDER_AUTH'
  | 'ERR_RATE_LIMITED'
  | 'ERR_BUDGET_EXCEEDED'
  | 'ERR_MODEL_UNKNOWN';

export interface LlmErrorOptions {
  readonly cause?: unknown;
  readonly code?: LlmErrorCode;
  /** The provider's retry time, in ms from now (429). */
  readonly retryAfterMs?: number | undefined;
  /** What the provider said, sanitised, for the operator's log only (never sent to a user). */
  readonly detail?: string | undefined;
}

/**
 * The LLM endpoint failed or answered something unusable. `message` is safe to show the user: it
 * never contains the API key or the provider's internals.
 */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly code: LlmErrorCode;
  /** HTTP status of the endpoint's answer, when there was one. */
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;

  constructor(message: string, status?: number, options: LlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = options.code ?? 'ERR_LLM_UNAVAILABLE';
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }
}
