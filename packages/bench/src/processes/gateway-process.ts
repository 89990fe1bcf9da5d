import { startNginx } from '@agentauth/nginx';
import { reservePort, waitHealthy } from '@agentauth/service-runtime/process';

/** A real nginx serving the rendered gateway config, plus its benchmark-only control route. */
export interface GatewayProcess {
  /** The gateway: /api/agents behind auth_request. */
  readonly origin: string;
  /** BENCHMARK ONLY: the same route without auth_request (the render option benchmarkControlPort). */
  readonly controlOrigin: string;
  readonly authCache: boolean;
  /** The master's pid (its children are the workers). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** SIGTERM to the master without waiting (it stops its workers): for the bench's exit path. */
  kill(): void;
}

export interface GatewaySpec {
  /** `host:port` of the access-control-service and the agent-service. */
  readonly accessControlService: string;
  readonly agentService: string;
  readonly authCache: boolean;
}

/**
 * `@agentauth/nginx`'s launcher (exactly what operators deploy, plus the loopback-only control
 * server), ready once the whole chain answers: nginx → auth_request → access-control-service → 401.
 * @example const gw = await startGateway({ authCache: false, accessControlService, agentService })
 */
export async function startGateway(spec: GatewaySpec): Promise<GatewayProcess> {
  // Held while nginx runs, which binds the control listener beside the reservation.
  const control = reservePort();
  const controlPort = control.port;
  let gateway: Awaited<ReturnType<typeof startNginx>>;
  try {
    gateway = await startNginx({ ...spec, benchmarkControlPort: controlPort });
  } catch (error) {
    control.release();
    throw error;
  }
  const stop = async () => {
    await gateway.stop();
    control.release();
  };
  try {
    await waitHealthy(`${gateway.origin}/api/agents`, gateway.child, { status: 401 });
  } catch (error) {
    await stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${gateway.errorLog()}`);
  }
  return {
    origin: gateway.origin,
    controlOrigin: `http://127.0.0.1:${controlPort}`,
    authCache: spec.authCache,
    pid: gateway.child.pid,
    stop,
    kill: () => gateway.child.kill(),
  };
}
