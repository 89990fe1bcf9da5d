import type { ModelInfo } from '@agentauth/agent-api';
import { z } from 'zod';
import {
  type ChatOptions,
  type ChatRequest,
  type ChatTurn,
  type LlmClient,
  LlmError,
  type ToolCall,
} from './llm-client.js';
import { createSseParser } from './sse-parser.js';

export interface OpenAiClientOptions {
  /** API root such as `http://litellm:4000/v1` (OpenAI SDK convention). */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** Whole-request timeout, including the stream; default 120 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

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
  })
  .loose();

/**
 * The single provider code path: an OpenAI-compatible client over fetch (LiteLLM, OpenAI, the dev
 * model server). Streams chat completions (`stream: true`, SSE), assembles tool calls from their
 * deltas, and honours an AbortSignal so a stop cancels the HTTP request itself.
 * @example
 * const llm = createOpenAiClient({ baseUrl: 'http://127.0.0.1:4000/v1' });
 * const turn = await llm.chat({ model: 'dev-model', messages }, { signal, onTextDelta: print });
 */
export function createOpenAiClient(options: OpenAiClientOptions): LlmClient {
  const { apiKey, timeoutMs = 120_000 } = options;
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

  const request = async (path: string, init: RequestInit, signal?: AbortSignal) => {
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
      // A provider's auth error may echo part of the key: say nothing more than the status.
      const detail = res.status === 401 || res.status === 403 ? '' : await errorDetail(res, apiKey);
      throw new LlmError(
        `The LLM endpoint answered ${res.status}${detail ? `: ${detail}` : ''}.`,
        res.status,
      );
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
      const body = {
        model: chat.model,
        messages: chat.messages,
        stream: true,
        ...(chat.tools && chat.tools.length > 0 ? { tools: chat.tools } : {}),
        ...(chat.temperature === undefined ? {} : { temperature: chat.temperature }),
      };
      const res = await request(
        '/chat/completions',
        {
          method: 'POST',
          headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
          body: JSON.stringify(body),
        },
        opts.signal,
      );
      const type = res.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        // Some proxies ignore `stream: true`: accept a whole completion too.
        return wholeCompletion(await res.json().catch(() => undefined), opts);
      }
      try {
        return await readStream(res, opts);
      } catch (error) {
        if (opts.signal?.aborted || error instanceof LlmError) throw error;
        throw new LlmError(`The LLM stream failed (${describe(error)}).`, undefined, {
          cause: error,
        });
      }
    },
  };
}

async function readStream(res: Response, opts: ChatOptions): Promise<ChatTurn> {
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
    if (chunk.data.error !== undefined)
      throw new LlmError('The LLM endpoint reported an error mid-stream.');
    const choice = chunk.data.choices?.[0];
    if (!choice) return;
    const delta = choice.delta;
    if (delta?.content) {
      content += delta.content;
      opts.onTextDelta?.(delta.content);
    }
    for (const call of delta?.tool_calls ?? []) {
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
  })
  .loose();

function wholeCompletion(json: unknown, opts: ChatOptions): ChatTurn {
  const parsed = Whole.safeParse(json);
  if (!parsed.success) throw new LlmError('The LLM endpoint returned an unreadable completion.');
  const choice = parsed.data.choices[0];
  const content = choice?.message.content ?? '';
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

async function errorDetail(res: Response, apiKey: string | undefined): Promise<string> {
  try {
    const text = await res.text();
    const json = JSON.parse(text) as { error?: { message?: unknown } };
    const message = json.error?.message;
    if (typeof message !== 'string') return '';
    const safe = apiKey ? message.split(apiKey).join('[REDACTED]') : message;
    return safe.slice(0, 200).replace(/\.$/, '');
  } catch {
    return '';
  }
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
