export { asConfigError, ConfigError, type ErrorClass, ListenError } from './config-error.js';
export {
  duration,
  type EnvMeta,
  envVar,
  host,
  httpUrl,
  integer,
  LOG_LEVELS,
  type LogLevel,
  logLevel,
  parseEnv,
  port,
  requiredVar,
} from './env.js';
export { envTable, envTableIn } from './env-table.js';
export {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  type ListenAddress,
  listen,
  urlOf,
} from './listen.js';
export { createLogger, requestIdOf } from './logger.js';
export { type RunServiceOptions, runMain, runService } from './run-main.js';
export { serviceEnv } from './service-env.js';
export {
  HEALTH_PATH,
  SERVICES,
  type ServiceManifestEntry,
  type ServiceName,
  serviceEntry,
} from './services.js';
export {
  drainServer,
  onShutdownSignals,
  SHUTDOWN_TIMEOUT_MS,
  type ShutdownOptions,
} from './shutdown.js';
