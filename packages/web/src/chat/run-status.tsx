import type { RunState } from '@agentauth/agent-api';
import type { SessionState } from '@agentauth/agent-client';

const RUN_LABEL: Record<RunState, string> = {
  idle: 'Idle',
  running: 'Running…',
  completed: 'Completed',
  stopped: 'Stopped',
  error: 'Failed',
};

const CONNECTION_LABEL: Record<SessionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  'session-expired': 'Signed out',
  forbidden: 'Not allowed',
  'agent-gone': 'Agent deleted',
  closed: 'Closed',
};

/**
 * The run state and the connection state as two small badges. Not a live region: the transcript
 * and the connection banner announce what changed, once.
 */
export function RunStatus({ run, connection }: { run: RunState; connection: SessionState }) {
  return (
    <div className="run-status">
      <span className={`badge run-${run}`} data-testid="run-status">
        {RUN_LABEL[run]}
      </span>
      <span className={`badge connection-${connection}`} data-testid="connection-status">
        {CONNECTION_LABEL[connection]}
      </span>
    </div>
  );
}
