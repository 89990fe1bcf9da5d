import { readTokenClaims } from '@agentauth/agent-client';
import { type FormEvent, useId, useState } from 'react';

export type SignInReason = 'signed-out' | 'expired';

/**
 * Sign-in by pasting a token (the `pnpm start` link signs in by itself). Shown as a page when
 * signed out, and as a modal dialog over the kept app state when the session expired.
 */
export function SignIn({
  reason,
  onToken,
  asDialog = false,
}: {
  reason: SignInReason;
  onToken: (token: string) => void;
  asDialog?: boolean;
}) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const titleId = useId();
  const hintId = useId();
  const fieldId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    if (!token) return setProblem('Paste a token first.');
    if (readTokenClaims(token) === null) {
      return setProblem('That does not look like a sign-in token (three parts separated by dots).');
    }
    setProblem(null);
    onToken(token);
  };

  const body = (
    <form className="sign-in card" onSubmit={submit} aria-labelledby={titleId}>
      <h1 id={titleId}>{reason === 'expired' ? 'Your session has expired' : 'Sign in'}</h1>
      <p id={hintId} className="muted">
        {reason === 'expired'
          ? 'Sign in again to continue. Your agents and conversation stay where they are.'
          : 'Open the sign-in link printed by pnpm start, or paste an access token.'}
      </p>
      <label htmlFor={fieldId}>Access token</label>
      <textarea
        id={fieldId}
        name="token"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={hintId}
        aria-invalid={problem !== null}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit">Sign in</button>
    </form>
  );

  if (!asDialog) return <main className="sign-in-page">{body}</main>;
  return (
    <div className="backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={titleId}>
        {body}
      </div>
    </div>
  );
}
