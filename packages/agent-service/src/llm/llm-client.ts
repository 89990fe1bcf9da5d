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
}

/** The one LLM provider interface: an OpenAI-compatible endpoint. */
export interface LlmClient {
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatTurn>;
}

/** The LLM endpoint failed or answered something unusable. Messages never contain the API key. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly code = 'ERR_LLM_UNAVAILABLE';
  /** HTTP status of the endpoint's answer, when there was one. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}
