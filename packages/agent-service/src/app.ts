import { createServer, type Server } from 'node:http';
import { type AccessMode, AGENTS_BASE_PATH, CLOSE_CODE } from '@agentauth/agent-api';
import { redactUrl, type TokenVerifier } from '@agentauth/auth-core';
import { requireAuth } from '@agentauth/auth-core/express';
import { drainServer, listen, SHUTDOWN_TIMEOUT_MS, urlOf } from '@agentauth/service-runtime';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { createRunManager, type RunManager } from './agent/run-manager.js';
import type { AgentServiceConfig } from './config.js';
import { cors } from './http/cors.js';
import { jsonBody } from './http/json-body.js';
import { requestLog } from './http/request-log.js';
import { sendError } from './http/send-error.js';
import type { LlmClient } from './llm/llm-client.js';
import { createModelCatalog } from './llm/model-catalog.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { type AgentAccessPolicy, accessPolicyFor } from './policy/agent-access.js';
import { agentsRouter } from './routes/agents.js';
import { healthRouter } from './routes/health.js';
import { modelsRouter } from './routes/models.js';
import { promptRouter } from './routes/prompt.js';
import { settingsRouter } from './routes/settings.js';
import { stepsRouter } from './routes/steps.js';
import { stopRouter } from './routes/stop.js';
import { usageRouter } from './routes/usage.js';
import { createLocalRuns } from './runs/local-runs.js';
import type { RunCoordinator } from './runs/run-coordinator.js';
import { type AgentStore, StoreUnavailableError } from './store/agent-store.js';
import { openSqliteUsageStore } from './usage/sqlite-usage-store.js';
import { DEFAULT_LIMITS, type UsageStore, type UserLimits } from './usage/usage-store.js';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './ws/socket-limits.js';
import { attachWebSockets } from './ws/upgrade.js';

/**
 * Request head limit (Node's default is 16 KiB). Behind a gateway a request carries its token (up
 * to 8 KiB, in the header or the WebSocket query) plus identity headers that percent-encoding makes
 * up to ~3x the name and email bytes (~18 KiB): a valid user with a long non-ASCII name got a 431.
 */
export const MAX_HEADER_SIZE = 48 * 1024;

/** The parts of the configuration the app itself uses; the optional ones default as `loadConfig` does. */
export interface AppConfig extends Pick<AgentServiceConfig, 'corsOrigins' | 'wsMaxPayload'> {
  /** `AGENT_ACCESS_POLICY`; default `shared`. A `policy` dep overrides it. */
  readonly accessPolicy?: AccessMode;
  readonly limits?: UserLimits;
  readonly llm?: Partial<
    Pick<
      AgentServiceConfig['llm'],
      'maxTokens' | 'modelAllowList' | 'modelsRefreshMs' | 'timeoutMs'
    >
  >;
  /** Default `DEFAULT_SOCKET_LIMITS`; each field may be overridden on its own. */
  readonly socketLimits?: Partial<SocketLimits>;
}

export interface AppDeps {
  readonly verifier: TokenVerifier;
  readonly store: AgentStore;
  readonly llm: LlmClient;
  readonly logger: Logger;
  /** Milliseconds since the epoch; tests move it to expire sessions. Default `Date.now`. */
  readonly clock?: () => number;
  /** Who may act on which agent; default the configured `accessPolicy`. */
  readonly policy?: AgentAccessPolicy;
  readonly metrics?: ServiceMetrics;
  /**
   * Per-user limits and LLM usage, shared by every replica (main: the agent database file).
   * Default: an in-memory SQLite store, which holds for this process only.
   */
  readonly usage?: UsageStore;
  /** Where runs are coordinated; default one process (`createLocalRuns`). */
  readonly coordinator?: RunCoordinator;
  /** Longest wait before streamed text reaches the other replicas (ms); default 25. */
  readonly streamFlushMs?: number;
}

export interface AgentServiceApp {
  readonly app: Express;
  readonly server: Server;
  readonly wss: WebSocketServer;
  readonly runs: RunManager;
  readonly metrics: ServiceMetrics;
  /**
   * Listens with the runtime's gateway-safe keep-alive; resolves to the base URL, e.g.
   * `http://127.0.0.1:3001`; a taken address rejects with a ListenError sentence.
   */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops accepting, stops runs (recording their end), closes sockets with 1001 and lets in-flight
   * HTTP requests finish, cutting them after `timeoutMs`. Resolves false when it had to cut.
   * The store stays open.
   */
  close(timeoutMs?: number): Promise<boolean>;
  /**
   * Rolling-update shutdown (SIGTERM): stops accepting, takes no new run, lets running ones finish
   * for up to `graceMs` and records the rest as interrupted, closes every socket with 1012
   * ("service restart": the client reconnects elsewhere and gets a snapshot), and lets in-flight
   * HTTP requests finish, cutting them `timeoutMs` after the grace period. `drained` is false when
   * it had to cut. The store stays open.
   */
  drain(
    graceMs: number,
    timeoutMs?: number,
  ): Promise<{ finished: number; interrupted: number; drained: boolean }>;
}

/**
 * Builds the agent-service: express 5 REST under `/api/agents` (every route behind the auth
 * core's `requireAuth`, identity headers must match the token), the unauthenticated
 * `/api/healthcheck`, and the `/api/agents/:id/react` WebSocket authenticated at the upgrade.
 * @example
 * const service = createApp(config, { verifier, store, llm, logger });
 * const url = await service.listen(0, '127.0.0.1');
 */
export function createApp(config: AppConfig, deps: AppDeps): AgentServiceApp {
  const { verifier, store, llm, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const policy = deps.policy ?? accessPolicyFor(config.accessPolicy ?? 'shared');
  const metrics = deps.metrics ?? createMetrics();
  const ownUsage = deps.usage === undefined;
  const usage = deps.usage ?? openSqliteUsageStore(':memory:');
  const limits: UserLimits = config.limits ?? {
    maxConcurrentRuns: DEFAULT_LIMITS.maxConcurrentRuns,
    runStartsPerMinute: DEFAULT_LIMITS.runStartsPerMinute,
    dailyTokenBudget: undefined,
  };
  const maxTokens = config.llm?.maxTokens ?? DEFAULT_LIMITS.maxTokensPerCall;
  const catalog = createModelCatalog(llm, {
    allowList: config.llm?.modelAllowList ?? [],
    refreshMs: config.llm?.modelsRefreshMs ?? 60_000,
    clock,
  });
  // A run's slot outlives its longest silent LLM call; a replica that died frees it after this.
  const leaseMs = (config.llm?.timeoutMs ?? 120_000) + 30_000;
  const coordinator = deps.coordinator ?? createLocalRuns();
  const runs = createRunManager({
    store,
    llm,
    logger,
    clock,
    metrics,
    coordinator,
    ...(deps.streamFlushMs === undefined ? {} : { streamFlushMs: deps.streamFlushMs }),
    policy,
    usage,
    limits,
    maxTokens,
    leaseMs,
  });
  const routeDeps = { store, llm, runs, policy, logger, catalog, usage, limits, maxTokens, clock };

  const app = express();
  app.disable('x-powered-by');
  // Only the canonical lower-case paths exist (`/API/AGENTS` is a 404, not an alias).
  app.enable('case sensitive routing');
  app.set('etag', false);
  app.use(requestLog(logger, metrics, clock));
  app.use(cors(config.corsOrigins));
  app.use(healthRouter());
  app.use(jsonBody());
  app.use(AGENTS_BASE_PATH, requireAuth({ verifier, identityHeaders: 'must-match' }));
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(modelsRouter(routeDeps));
  app.use(usageRouter(routeDeps));
  app.use(agentsRouter(routeDeps));
  app.use(settingsRouter(routeDeps));
  app.use(stopRouter(routeDeps));
  app.use(stepsRouter(routeDeps));
  app.use(promptRouter(routeDeps));
  app.use((_req, res) => sendError(res, 'ERR_NOT_FOUND', 'No route matches this path.'));
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    // express decodes route parameters and answers a malformed percent-escape (`%`, `%E0%A4%A`)
    // with a URIError: the client's mistake, not a failure of the service.
    if (error instanceof URIError) {
      logger.info({ method: req.method, url: redactUrl(req.originalUrl) }, 'malformed escape');
      if (res.headersSent) return res.destroy();
      return sendError(res, 'ERR_BAD_REQUEST', 'The path has a malformed percent-escape.');
    }
    if (error instanceof StoreUnavailableError) {
      logger.warn({ method: req.method, url: redactUrl(req.originalUrl) }, error.message);
      if (res.headersSent) return res.destroy();
      res.setHeader('Retry-After', '5');
      return sendError(
        res,
        'ERR_SERVICE_UNAVAILABLE',
        'The agent database is unreachable; retry shortly.',
      );
    }
    logger.error(
      { err: error, method: req.method, url: redactUrl(req.originalUrl) },
      'request failed',
    );
    if (res.headersSent) return res.destroy();
    sendError(res, 'ERR_INTERNAL', 'The request failed; details are in the service log.');
  };
  app.use(onError);

  const server = createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app);
  const wss = attachWebSockets(server, {
    verifier,
    store,
    runs,
    policy,
    logger,
    clock,
    metrics,
    catalog,
    maxPayload: config.wsMaxPayload,
    limits: { ...DEFAULT_SOCKET_LIMITS, ...config.socketLimits },
  });

  return {
    app,
    server,
    wss,
    runs,
    metrics,
    async listen(port, host = '127.0.0.1') {
      return urlOf(await listen(server, { port, host }));
    },
    async close(timeoutMs = SHUTDOWN_TIMEOUT_MS) {
      // Stop accepting first, so nothing new starts while the runs and sockets wind down.
      const drained = drainServer(server, timeoutMs);
      await runs.shutdown();
      for (const client of wss.clients) client.close(CLOSE_CODE.goingAway, 'service shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const result = await drained;
      if (ownUsage) await usage.close();
      return result;
    },
    async drain(graceMs, timeoutMs = SHUTDOWN_TIMEOUT_MS) {
      // New connections go to the other replicas at once; open sockets stay for their runs.
      const drained = drainServer(server, graceMs + timeoutMs);
      const result = await runs.drain(graceMs);
      for (const client of wss.clients) client.close(CLOSE_CODE.serviceRestart, 'service restart');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      return { ...result, drained: await drained };
    },
  };
}
