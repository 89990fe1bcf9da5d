import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRET_MIXED_CASE } from '@agentauth/auth-core/testing';
import type { ServiceName } from '@agentauth/service-runtime';
import {
  type RunningService,
  startService as startFromManifest,
} from '@agentauth/service-runtime/process';

export type { RunningService };

/**
 * Starts a service from its built entry point (the runtime's manifest) with the test secret, on a
 * free loopback port, once its health path answers.
 * @example const acs = await startService('access-control-service')
 */
export function startService(
  name: ServiceName,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningService> {
  return startFromManifest(name, { env: { AUTH_JWT_SECRET: TEST_SECRET_MIXED_CASE, ...env } });
}

/** The access-control-service, the agent-service and the dev model server, on loopback. */
export interface Services {
  readonly acs: RunningService;
  readonly agent: RunningService;
  readonly model: RunningService;
  stop(): Promise<void>;
}

/**
 * Starts the three services the gateway fronts, with a throw-away agent database.
 * @example const services = await startServices(); await services.stop()
 */
export async function startServices(): Promise<Services> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-agents-'));
  const model = await startService('dev-model-server');
  const [acs, agent] = await Promise.all([
    startService('access-control-service'),
    startService('agent-service', {
      LLM_BASE_URL: `http://${model.address}/v1`,
      AGENT_DB_PATH: join(dataDir, 'agents.db'),
    }),
  ]);
  return {
    acs,
    agent,
    model,
    stop: async () => {
      await Promise.all([acs.stop(), agent.stop(), model.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
