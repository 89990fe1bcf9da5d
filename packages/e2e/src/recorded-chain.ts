import { type RunningNginx, startNginx } from '@agentauth/nginx';
import { type RecordingUpstream, startRecordingUpstream } from './recording-upstream.js';
import { type RunningService, startService } from './service.js';

/** nginx → a real access-control-service → a recording stand-in for the agent-service. */
export interface RecordedChain {
  readonly acs: RunningService;
  readonly upstream: RecordingUpstream;
  readonly gw: RunningNginx;
  stop(): Promise<void>;
}

/**
 * Starts the chain used to prove that nothing reaches the agent upstream without an allow: the
 * upstream accepts everything and records it, so anything that slipped past the gateway shows up.
 * @example const chain = await startRecordedChain(); chain.upstream.requests // what got through
 */
export async function startRecordedChain(): Promise<RecordedChain> {
  const acs = await startService('access-control-service');
  const upstream = await startRecordingUpstream();
  const gw = await startNginx({
    accessControlService: acs.address,
    agentService: upstream.address,
    // The suites behind this chain send thousands of token-less requests from one address to
    // check decisions; the credential-less rate limit has its own tests.
    unauthenticatedRate: 100_000,
    unauthenticatedBurst: 100_000,
  });
  return {
    acs,
    upstream,
    gw,
    async stop() {
      await gw.stop();
      await upstream.close();
      await acs.stop();
    },
  };
}
