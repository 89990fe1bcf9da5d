import { type FormEvent, useId, useState } from 'react';
import { ModalDialog } from '../ui/modal-dialog.js';
import { tokenFromInput } from './token-input.js';

/**
 * Why the sign-in form is shown: nobody signed in; the link or token given was refused as not
 * valid, or as expired, before anything was shown; or a working session expired later.
 */
export type SignInReason = 'signed-out' | 'invalid' | 'expired' | 'session-expired';

const TEXT: Record<SignInReason, { title: string; hint: string }> = {
  'signed-out': {
    title: 'Sign in',
    hint: 'Open the sign-in link you were given, or paste the link (or just its token) here.',
  },
  invalid: {
    title: 'This sign-in link is not valid',
    hint: 'It may be incomplete or changed. Ask for a new sign-in link, then open it or paste it here.',
  },
  expired: {
    title: 'This sign-in link has expired',
    hint: 'Ask for a new sign-in link, then open it or paste it here.',
  },
  'session-expired': {
    title: 'Your session has expired',
    hint: 'Sign in again to continue. Your agents and conversation stay where they are.',
  },
};

/**
 * Sign-in by pasting the sign-in link or its token (opening the link signs in by itself). Shown
 * as a page while nobody is signed in, and as a modal dialog over the kept app when a session
 * expired. Enter submits.
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
  const problemId = useId();
  const text = TEXT[reason];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return setProblem('Paste your sign-in link or token first.');
    const token = tokenFromInput(value);
    if (token === null) {
      return setProblem(
        'That is not a sign-in link or token. A sign-in link ends in #access_token= followed by the token.',
      );
    }
    setProblem(null);
    onToken(token);
  };

  const body = (
    <form className="sign-in card" onSubmit={submit} aria-labelledby={titleId} noValidate>
      <h1 id={titleId}>{text.title}</h1>
      <p id={hintId} className="muted">
        {text.hint}
      </p>
      <label htmlFor={fieldId}>Sign-in link or token</label>
      <input
        id={fieldId}
        name="token"
        className="token-input"
        type="text"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        aria-describedby={problem ? `${hintId} ${problemId}` : hintId}
        aria-invalid={problem !== null}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the form is the only thing on the page or in the dialog
        autoFocus
      />
      {problem ? (
        <p id={problemId} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit">Sign in</button>
    </form>
  );

  if (!asDialog) return <main className="sign-in-page">{body}</main>;
  return (
    <ModalDialog labelledBy={titleId} describedBy={hintId} className="sign-in-dialog">
      {body}
    </ModalDialog>
  );
}
