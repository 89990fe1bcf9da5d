import type { ServerResponse } from 'node:http';
import type { Reply } from './reply-plan.js';
import { chunk, toTokens } from './tokens.js';

/** Counters tests read to check what clients did (e.g. that a stop aborted the stream). */
export interface CompletionStats {
  requests: number;
  streamsStarted: number;
  streamsCompleted: number;
  streamsAborted: number;
}

interface CompletionContext {
  readonly id: string;
  readonly callId: string;
  readonly model: string;
  readonly created: number;
  readonly tokenDelayMs: number;
  readonly promptTokens: number;
  /** `stream_options.include_usage`: end the stream with a usage chunk, as OpenAI does. */
  readonly includeUsage?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Streams a reply as OpenAI `chat.completion.chunk` server-sent events: a role chunk, one chunk
 * per token (after `tokenDelayMs`), tool-call chunks (name first, then the arguments in pieces),
 * a finish chunk, then `data: [DONE]`. Stops writing as soon as the client goes away.
 */
export async function streamCompletion(
  res: ServerResponse,
  reply: Exclude<Reply, { kind: 'fail' }>,
  ctx: CompletionContext,
  stats: CompletionStats,
): Promise<void> {
  stats.streamsStarted++;
  let gone = false;
  res.on('close', () => {
    if (!res.writableFinished) {
      gone = true;
      stats.streamsAborted++;
    }
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const event = (fields: object) =>
    res.write(
      `data: ${JSON.stringify({
        id: ctx.id,
        object: 'chat.completion.chunk',
        created: ctx.created,
        model: ctx.model,
        ...fields,
      })}\n\n`,
    );
  const send = (delta: object, finish: string | null = null) =>
    event({ choices: [{ index: 0, delta, finish_reason: finish }] });

  send({ role: 'assistant', content: '' });
  const tokens = toTokens(reply.text);
  const cutAfter = reply.kind === 'text' ? reply.cutAfterTokens : undefined;
  for (const [index, token] of tokens.entries()) {
    if (ctx.tokenDelayMs > 0) await sleep(ctx.tokenDelayMs);
    if (gone) return;
    if (index === cutAfter) {
      // A provider that fails mid-stream: the connection ends without a finish chunk or [DONE],
      // once what was sent so far has left (an SSE comment line, which readers ignore).
      await new Promise<void>((resolve) => res.write(': cut\n\n', () => resolve()));
      res.destroy();
      return;
    }
    send({ content: token });
  }
  if (reply.kind === 'tool_call') {
    if (ctx.tokenDelayMs > 0) await sleep(ctx.tokenDelayMs);
    if (gone) return;
    send({
      tool_calls: [
        {
          index: 0,
          id: ctx.callId,
          type: 'function',
          function: { name: reply.call.name, arguments: '' },
        },
      ],
    });
    for (const piece of chunk(JSON.stringify(reply.call.arguments), 3)) {
      if (gone) return;
      send({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
    }
  }
  if (gone) return;
  send({}, reply.kind === 'tool_call' ? 'tool_calls' : 'stop');
  if (ctx.includeUsage) event({ choices: [], usage: usageOf(reply, ctx) });
  res.end('data: [DONE]\n\n');
  stats.streamsCompleted++;
}

/** The non-streamed `chat.completion` body for a reply. */
export function completionBody(reply: Exclude<Reply, { kind: 'fail' }>, ctx: CompletionContext) {
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text,
          ...(reply.kind === 'tool_call'
            ? {
                tool_calls: [
                  {
                    id: ctx.callId,
                    type: 'function',
                    function: {
                      name: reply.call.name,
                      arguments: JSON.stringify(reply.call.arguments),
                    },
                  },
                ],
              }
            : {}),
        },
        finish_reason: reply.kind === 'tool_call' ? 'tool_calls' : 'stop',
      },
    ],
    usage: usageOf(reply, ctx),
  };
}

/** Token counts of a reply: the prompt's tokens, and the reply's text (+ tool call) tokens. */
function usageOf(reply: Exclude<Reply, { kind: 'fail' }>, ctx: CompletionContext) {
  const callTokens = reply.kind === 'tool_call' ? toTokens(JSON.stringify(reply.call)).length : 0;
  const completionTokens = toTokens(reply.text).length + callTokens;
  return {
    prompt_tokens: ctx.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: ctx.promptTokens + completionTokens,
  };
}
