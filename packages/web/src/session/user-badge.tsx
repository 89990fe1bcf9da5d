import type { TokenClaims } from '@agentauth/agent-client';

/** Who is signed in (from the token payload, for display only) and the sign-out button. */
export function UserBadge({
  claims,
  onSignOut,
}: {
  claims: TokenClaims | null;
  onSignOut: () => void;
}) {
  return (
    <div className="user-badge">
      <span className="avatar" aria-hidden="true">
        {(claims?.name || '?').slice(0, 1).toUpperCase()}
      </span>
      <span>
        <span className="user-name">{claims?.name || 'Unknown user'}</span>{' '}
        <span className="role" title="Role">
          {claims?.role || 'no role'}
        </span>
      </span>
      <button type="button" className="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
