import type { ModelInfo } from '@agentauth/agent-api';
import { z } from 'zod';
import {
  type ChatOptions,
  type ChatRequest,
  type ChatTurn,
  type ChatUsage,
  type LlmClient,
  LlmError,
  type ToolCall,
} from './llm-client.js';
import {
  classifyProviderError,
  providerErrorBody,
  sanitizeProviderMessage,
} from './provider-error.js';
import { createSseParser } from './sse-parser.js';

/** LiteLLM's end-user header: its spend logs and customer budgets attribute the call to this id. */
export const END_USER_HEADER = 'x-litellm-end-user-id';
/** LiteLLM reports the cost of a call it priced in this response header (USD). */
export const RESPONSE_COST_HEADER = 'x-litellm-response-cost';

export interface OpenAiClientOptions {
  /** API root such as `http://litellm:4000/v1` (OpenAI SDK convention). */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** Whole-request timeout, including the stream; default 120 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch (retry times); default `Date.now`. */
  readonly clock?: () => number;
}

const Usage = z
  .object({
    prompt_tokens: z.number().int().min(0),
    completion_tokens: z.number().int().min(0),
    cost: z.number().min(0).optional(),
  })
  .loose();

const ModelList = z.object({
  data: z.array(z.object({ id: z.string().min(1), owned_by: z.string().optional() }).loose()),
});

const Chunk = z
  .object({
    choices: z
      .array(
        z
          .object({
            delta: z
              .object({
                content: z.string().nullish(),
                tool_calls: z
                  .array(
                    z
                      .object({
                        index: z.number().int().min(0),
                        id: z.string().optional(),
                        function: z
                          .object({ name: z.string().optional(), arguments: z.string().optional() })
                          .loose()
                          .optional(),
                      })
                      .loose(),
                  )
                  .nullish(),
              })
              .loose()
              .optional(),
            finish_reason: z.string().nullish(),
          })
          .loose(),
      )
      .optional(),
    error: z.unknown().optional(),
    usage: Usage.nullish(),
  })
  .loose();

/**
 * The single provider code path: an OpenAI-compatible client over fetch (LiteLLM, OpenAI, the dev
 * model server). Streams chat completions (`stream: true`, SSE), assembles tool calls from their
 * deltas, and honours an AbortSignal so a stop cancels the HTTP request itself. Every call names
 * the user (`user` + LiteLLM's end-user header), carries its metadata, asks for usage
 * (`stream_options.include_usage`) and reports it through `onUsage`. A refusal becomes an
 * LlmError whose code says what the user can do (`classifyProviderError`).
 * @example
 * const llm = createOpenAiClient({ baseUrl: 'http://127.0.0.1:4000/v1' });
 * const turn = await llm.chat({ model: 'dev-model', messages }, { signal, onTextDelta: print });
 */
export function createOpenAiClient(options: OpenAiClientOptions): LlmClient {
  const { apiKey, timeoutMs = 120_000, clock = Date.now } = options;
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = (extra: Record<string, string> = {}) => ({
    accept: 'application/json',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    ...extra,
  });
  const withTimeout = (signal?: AbortSignal) =>
    signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);

  const request = async (path: string, init: RequestInit, signal?: AbortSignal, model?: string) => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, signal: withTimeout(signal) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new LlmError(`The LLM endpoint cannot be reached (${describe(error)}).`, undefined, {
        cause: error,
      });
    }
    if (!res.ok) {
      const body = await res
        .text()
        .then((text) => JSON.parse(text) as unknown)
        .catch(() => undefined);
      throw classifyProviderError({
        status: res.status,
        headers: res.headers,
        body,
        model,
        apiKey,
        now: clock(),
      });
    }
    return res;
  };

  return {
    async listModels(signal) {
      const res = await request('/models', { method: 'GET', headers: headers() }, signal);
      const parsed = ModelList.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success)
        throw new LlmError('The LLM endpoint returned an unreadable model list.');
      return parsed.data.data.map(
        (m): ModelInfo =>
          m.owned_by === undefined ? { id: m.id } : { id: m.id, ownedBy: m.owned_by },
      );
    },

    async chat(chat: ChatRequest, opts: ChatOptions = {}): Promise<ChatTurn> {
      const body = JSON.stringify({
        model: chat.model,
        messages: chat.messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(chat.tools && chat.tools.length > 0 ? { tools: chat.tools } : {}),
        ...(chat.temperature === undefined ? {} : { temperature: chat.temperature }),
        ...(chat.maxTokens === undefined ? {} : { max_tokens: chat.maxTokens }),
        ...(chat.user === undefined ? {} : { user: chat.user }),
        ...(chat.metadata === undefined ? {} : { metadata: chat.metadata }),
      });
      const res = await request(
        '/chat/completions',
        {
          method: 'POST',
          headers: headers({
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(chat.user === undefined ? {} : { [END_USER_HEADER]: chat.user }),
          }),
          body,
        },
        opts.signal,
        chat.model,
      );
      const headerCost = Number(res.headers.get(RESPONSE_COST_HEADER) ?? Number.NaN);
      const meter: Meter = {
        promptChars: body.length,
        streamedChars: 0,
        reported: undefined,
        headerCost: Number.isFinite(headerCost) && headerCost > 0 ? headerCost : undefined,
      };
      try {
        const type = res.headers.get('content-type') ?? '';
        if (!type.includes('text/event-stream')) {
          // Some proxies ignore `stream: true`: accept a whole completion too.
          return wholeCompletion(await res.json().catch(() => undefined), opts, meter);
        }
        try {
          return await readStream(res, opts, meter, apiKey);
        } catch (error) {
          if (opts.signal?.aborted || error instanceof LlmError) throw error;
          throw new LlmError(`The LLM stream failed (${describe(error)}).`, undefined, {
            cause: error,
          });
        }
      } finally {
        opts.onUsage?.(usageOf(meter));
      }
    },
  };
}

/** What a call has cost so far: the usage the provider reported, or what it streamed. */
interface Meter {
  readonly promptChars: number;
  streamedChars: number;
  reported: z.infer<typeof Usage> | undefined;
  readonly headerCost: number | undefined;
}

const CHARS_PER_TOKEN = 4;

function usageOf(meter: Meter): ChatUsage {
  if (meter.reported) {
    return {
      promptTokens: meter.reported.prompt_tokens,
      completionTokens: meter.reported.completion_tokens,
      costUsd: meter.reported.cost ?? meter.headerCost,
      estimated: false,
    };
  }
  return {
    promptTokens: Math.ceil(meter.promptChars / CHARS_PER_TOKEN),
    completionTokens: Math.ceil(meter.streamedChars / CHARS_PER_TOKEN),
    costUsd: meter.headerCost,
    estimated: true,
  };
}

async function readStream(
  res: Response,
  opts: ChatOptions,
  meter: Meter,
  apiKey: string | undefined,
): Promise<ChatTurn> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  let content = '';
  let finishReason: string | null = null;
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  let done = false;

  const handle = (data: string) => {
    if (data === '[DONE]') {
      done = true;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      throw new LlmError('The LLM endpoint streamed a chunk that is not JSON.');
    }
    const chunk = Chunk.safeParse(json);
    if (!chunk.success) throw new LlmError('The LLM endpoint streamed an unreadable chunk.');
    if (chunk.data.error !== undefined) throw midStreamError(chunk.data.error, apiKey);
    if (chunk.data.usage) meter.reported = chunk.data.usage;
    const choice = chunk.data.choices?.[0];
    if (!choice) return;
    const delta = choice.delta;
    if (delta?.content) {
      content += delta.content;
      meter.streamedChars += delta.content.length;
      opts.onTextDelta?.(delta.content);
    }
    for (const call of delta?.tool_calls ?? []) {
      meter.streamedChars +=
        (call.function?.name?.length ?? 0) + (call.function?.arguments?.length ?? 0);
      const entry = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name += call.function.name;
      if (call.function?.arguments) entry.arguments += call.function.arguments;
      calls.set(call.index, entry);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  };

  const body = res.body;
  if (!body) throw new LlmError('The LLM endpoint sent an empty stream.');
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    for (const data of parser.push(decoder.decode(bytes, { stream: true }))) handle(data);
    if (done) break;
  }
  if (!done) for (const data of parser.end()) handle(data);
  if (!done && finishReason === null)
    throw new LlmError('The LLM stream ended before the model finished.');
  return { content, toolCalls: toToolCalls(calls), finishReason };
}

/** An error chunk: its message is kept (sanitised), its type/code classified like a refusal. */
function midStreamError(error: unknown, apiKey: string | undefined): LlmError {
  const body = providerErrorBody({ error });
  const message = sanitizeProviderMessage(body.message, apiKey);
  const classified = classifyProviderError({
    status: Number(body.code) || 502,
    headers: new Headers(),
    body: { error },
    apiKey,
    now: Date.now(),
  });
  const { code } = classified;
  return new LlmError(
    code === 'ERR_LLM_PROVIDER_AUTH'
      ? classified.message
      : `The LLM provider reported an error mid-stream${message ? `: ${message.replace(/\.$/, '')}` : ''}.`,
    undefined,
    { code, retryAfterMs: classified.retryAfterMs, detail: message || undefined },
  );
}

const Whole = z
  .object({
    choices: z
      .array(
        z
          .object({
            message: z
              .object({
                content: z.string().nullish(),
                tool_calls: z
                  .array(
                    z
                      .object({
                        id: z.string(),
                        function: z.object({ name: z.string(), arguments: z.string() }).loose(),
                      })
                      .loose(),
                  )
                  .nullish(),
              })
              .loose(),
            finish_reason: z.string().nullish(),
          })
          .loose(),
      )
      .min(1),
    usage: Usage.nullish(),
  })
  .loose();

function wholeCompletion(json: unknown, opts: ChatOptions, meter: Meter): ChatTurn {
  const parsed = Whole.safeParse(json);
  if (!parsed.success) throw new LlmError('The LLM endpoint returned an unreadable completion.');
  if (parsed.data.usage) meter.reported = parsed.data.usage;
  const choice = parsed.data.choices[0];
  const content = choice?.message.content ?? '';
  meter.streamedChars += content.length;
  if (content) opts.onTextDelta?.(content);
  return {
    content,
    toolCalls: (choice?.message.tool_calls ?? []).map((c) => ({
      id: c.id,
      type: 'function' as const,
      function: { name: c.function.name, arguments: c.function.arguments },
    })),
    finishReason: choice?.finish_reason ?? null,
  };
}

function toToolCalls(
  calls: Map<number, { id: string; name: string; arguments: string }>,
): ToolCall[] {
  return [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, c]) => ({
      id: c.id || `call_${index}`,
      type: 'function' as const,
      function: { name: c.name, arguments: c.arguments },
    }));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}
