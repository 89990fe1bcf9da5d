import type { RequestListener } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, on a registry of their own (one per app instance). */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly wsOpen: Gauge;
  readonly wsRejected: Counter<'status'>;
  readonly wsSlowConsumers: Counter;
  readonly runs: Counter<'outcome'>;
  readonly llmCalls: Counter<'model'>;
  readonly llmTokens: Counter<'model' | 'kind'>;
  readonly llmCost: Counter<'model'>;
  readonly limitRefusals: Counter<'code' | 'limit'>;
}

/**
 * Creates the metrics. Labels never carry a user, an agent id or a token.
 * @example const metrics = createMetrics(); await metrics.registry.metrics()
 */
export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'agent_service_http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'agent_service_http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    wsOpen: new Gauge({
      name: 'agent_service_websockets_open',
      help: 'Open authenticated WebSocket sessions.',
      registers,
    }),
    wsRejected: new Counter({
      name: 'agent_service_websocket_rejections_total',
      help: 'WebSocket upgrades refused before the 101, by HTTP status.',
      labelNames: ['status'],
      registers,
    }),
    wsSlowConsumers: new Counter({
      name: 'agent_service_websocket_slow_consumers_total',
      help: 'Sockets closed with 4408 because the client did not read what was sent.',
      registers,
    }),
    runs: new Counter({
      name: 'agent_service_runs_total',
      help: 'Finished agent runs by outcome.',
      labelNames: ['outcome'],
      registers,
    }),
    llmCalls: new Counter({
      name: 'agent_service_llm_calls_total',
      help: 'Chat calls the LLM provider accepted, by model.',
      labelNames: ['model'],
      registers,
    }),
    llmTokens: new Counter({
      name: 'agent_service_llm_tokens_total',
      help: 'Tokens spent at the LLM provider, by model and kind (prompt, completion).',
      labelNames: ['model', 'kind'],
      registers,
    }),
    llmCost: new Counter({
      name: 'agent_service_llm_cost_usd_total',
      help: 'Cost the LLM provider reported, in USD, by model.',
      labelNames: ['model'],
      registers,
    }),
    limitRefusals: new Counter({
      name: 'agent_service_limit_refusals_total',
      help: 'Runs and calls refused by a per-user limit, by code and limit (budget, concurrency, rate, provider).',
      labelNames: ['code', 'limit'],
      registers,
    }),
  };
}

/**
 * The request listener of the separate Prometheus listener (`METRICS_PORT`): `GET /metrics`,
 * everything else 404.
 * @example await listen(createServer(metricsListener(metrics)), { port: 9464, host })
 */
export function metricsListener(metrics: ServiceMetrics): RequestListener {
  return (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  };
}
