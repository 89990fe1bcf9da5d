import { isAgentClientError, RateLimitedError, SessionExpiredError } from '@agentauth/agent-client';
import { waitSentence } from './retry-when.js';

/**
 * One failure, as a sentence the user can act on. Client errors carry UI-ready messages (never
 * the token); anything else gets a generic sentence rather than a stack trace.
 */
export function describeError(error: unknown): string {
  if (error instanceof RateLimitedError) {
    const kind =
      error.serverCode === 'ERR_BUDGET_EXCEEDED' ? 'ERR_BUDGET_EXCEEDED' : 'ERR_RATE_LIMITED';
    return `${error.message} ${waitSentence(kind, error.retryAt)}`;
  }
  if (isAgentClientError(error)) return error.message;
  return 'Something went wrong. Try again.';
}

export function ErrorMessage({
  error,
  onRetry,
  prefix,
}: {
  error: unknown;
  onRetry?: () => void;
  prefix?: string;
}) {
  // The sign-in dialog already says so; repeating it in every panel only adds noise.
  if (error instanceof SessionExpiredError) {
    return <p className="muted">Sign in again to see this.</p>;
  }
  return (
    <div className="error" role="alert">
      <p>
        {prefix ? `${prefix} ` : ''}
        {describeError(error)}
      </p>
      {onRetry ? (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
