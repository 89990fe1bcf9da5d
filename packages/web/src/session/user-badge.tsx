import type { TokenClaims } from '@agentauth/agent-client';

/**
 * Who is signed in, and the sign-out button. `claims` is null until the service has accepted the
 * token: nothing read from an unverified token is ever shown.
 */
export function UserBadge({
  claims,
  onSignOut,
}: {
  claims: TokenClaims | null;
  onSignOut: () => void;
}) {
  return (
    <div className="user-badge">
      {claims ? (
        <>
          <span className="avatar" aria-hidden="true">
            {(claims.name || '?').slice(0, 1).toUpperCase()}
          </span>
          <span className="identity">
            <span className="user-name">{claims.name || 'Unknown user'}</span>{' '}
            <span className="role" title="Role">
              {claims.role || 'no role'}
            </span>
          </span>
        </>
      ) : (
        <span className="muted small identity" role="status">
          Checking your sign-in…
        </span>
      )}
      <button type="button" className="secondary nowrap" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
