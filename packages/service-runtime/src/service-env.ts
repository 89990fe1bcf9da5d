import { envVar, host, type LogLevel, logLevel, port } from './env.js';
import { SERVICES, type ServiceName } from './services.js';

/**
 * The variables every service reads — `PORT` (its manifest default), `HOST`, `LOG_LEVEL` — to
 * spread into its own env schema.
 * @example const EnvSchema = z.object({ ...serviceEnv('agent-service'), LLM_BASE_URL: … })
 */
export function serviceEnv(name: ServiceName) {
  return {
    PORT: envVar(
      port('PORT'),
      { description: 'listen port (`0`: any free port; the listening log line says which)' },
      SERVICES[name].defaultPort,
    ),
    HOST: envVar(
      host('HOST'),
      { description: 'listen address; `0.0.0.0` in a container' },
      '127.0.0.1',
    ),
    LOG_LEVEL: envVar(
      logLevel('LOG_LEVEL'),
      { description: 'pino level: fatal, error, warn, info, debug, trace or silent' },
      'info' as LogLevel,
    ),
  };
}
