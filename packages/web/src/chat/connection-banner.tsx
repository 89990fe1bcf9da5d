import type { SessionState } from '@agentauth/agent-client';

const TEXT: Partial<Record<SessionState, string>> = {
  reconnecting:
    'The connection to the agent service was lost. Reconnecting… Your conversation is kept; you can send again once it is back.',
  forbidden: 'Your account can no longer use agents.',
  closed: 'The chat is disconnected. Reload the page to reconnect.',
};

/**
 * Says, once and in words, why the chat cannot be used right now. Nothing while connected or
 * connecting, nothing for an expired session (the sign-in dialog says that) and nothing for a
 * deleted agent (its page says that, once).
 */
export function ConnectionBanner({ state }: { state: SessionState }) {
  const text = TEXT[state];
  return (
    <div className="connection-live" role="status" aria-live="polite">
      {text ? (
        <p className={`banner banner-${state}`} data-testid="connection-banner">
          {text}
        </p>
      ) : null}
    </div>
  );
}
