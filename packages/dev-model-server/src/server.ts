import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HEALTH_PATH, listen, urlOf } from '@agentauth/service-runtime';
import { ChatRequest, textOf } from './chat-request.js';
import { type CompletionStats, completionBody, streamCompletion } from './completion.js';
import { DEV_MODELS, isDevModel } from './models.js';
import { sendJson, sendOpenAiError } from './openai-error.js';
import { planReply } from './reply-plan.js';
import { toTokens } from './tokens.js';

export interface DevModelServerOptions {
  /** Pause before each streamed token, in milliseconds; default 0. */
  readonly tokenDelayMs?: number;
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string | undefined;
  /** Clock in milliseconds; default `Date.now`. */
  readonly clock?: () => number;
}

export interface DevModelServer {
  readonly server: Server;
  /** Counters of requests and streams, for tests. */
  readonly stats: CompletionStats;
  /** The parsed chat requests received, newest last (at most 100). */
  readonly requests: ChatRequest[];
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:4000`. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A deterministic OpenAI-compatible model server over node:http: `GET /api/healthcheck`,
 * `GET /v1/models`, `POST /v1/chat/completions` (JSON or `stream: true` SSE, with tool calls).
 * @example
 * const dev = createDevModelServer({ tokenDelayMs: 5 });
 * const baseUrl = await dev.listen(0); // LLM_BASE_URL = `${baseUrl}/v1`
 */
export function createDevModelServer(options: DevModelServerOptions = {}): DevModelServer {
  const { tokenDelayMs = 0, apiKey, clock = Date.now } = options;
  const stats: CompletionStats = {
    requests: 0,
    streamsStarted: 0,
    streamsCompleted: 0,
    streamsAborted: 0,
  };
  const requests: ChatRequest[] = [];
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Accept the API root with or without `/v1` (LiteLLM serves both), so either base URL works.
    const target = (req.url ?? '/').split('?')[0] ?? '/';
    const path = target === '/models' || target === '/chat/completions' ? `/v1${target}` : target;
    if (req.method === 'GET' && path === HEALTH_PATH) {
      res.setHeader('cache-control', 'no-store');
      return sendJson(res, 200, { status: 'ok' });
    }
    if (!path.startsWith('/v1/')) return sendOpenAiError(res, 404, 'not_found', 'Not found.');
    if (apiKey !== undefined && !bearerMatches(req.headers.authorization, apiKey)) {
      return sendOpenAiError(res, 401, 'invalid_api_key', 'Incorrect API key provided.');
    }
    if (path === '/v1/models') {
      if (req.method !== 'GET') return sendOpenAiError(res, 405, 'method_not_allowed', 'Use GET.');
      return sendJson(res, 200, { object: 'list', data: DEV_MODELS });
    }
    if (path !== '/v1/chat/completions') {
      return sendOpenAiError(res, 404, 'not_found', 'Not found.');
    }
    if (req.method !== 'POST') return sendOpenAiError(res, 405, 'method_not_allowed', 'Use POST.');
    stats.requests++;
    const raw = await readBody(req);
    if (raw === 'too-large') {
      return sendOpenAiError(res, 413, 'request_too_large', 'The request body is too large.');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendOpenAiError(res, 400, 'invalid_json', 'The request body is not valid JSON.');
    }
    const parsed = ChatRequest.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendOpenAiError(
        res,
        400,
        'invalid_request',
        `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.`,
      );
    }
    const request = parsed.data;
    requests.push(request);
    if (requests.length > 100) requests.shift();
    if (!isDevModel(request.model)) {
      return sendOpenAiError(
        res,
        404,
        'model_not_found',
        `The model \`${request.model}\` does not exist.`,
      );
    }
    const tools = (request.tools ?? []).map((t) => t.function.name);
    const reply = planReply(request.messages, tools);
    if (reply.kind === 'fail') {
      return sendOpenAiError(res, 500, 'server_error', 'The development model was asked to fail.');
    }
    counter++;
    const ctx = {
      id: `chatcmpl-dev-${counter}`,
      callId: `call_dev_${counter}`,
      model: request.model,
      created: Math.floor(clock() / 1000),
      tokenDelayMs,
      promptTokens: request.messages.reduce((n, m) => n + toTokens(textOf(m)).length, 0),
      includeUsage: request.stream_options?.include_usage === true,
    };
    if (request.stream) return streamCompletion(res, reply, ctx, stats);
    return sendJson(res, 200, completionBody(reply, ctx));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendOpenAiError(res, 500, 'server_error', 'Internal error.');
      else res.destroy();
    });
  });

  return {
    server,
    stats,
    requests,
    async listen(port = 0, host = '127.0.0.1') {
      return urlOf(await listen(server, { port, host }));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function bearerMatches(header: string | undefined, key: string): boolean {
  const match = /^bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (data: Buffer) => {
      size += data.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too-large');
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(data);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
