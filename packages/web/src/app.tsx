import {
  type AgentClient,
  createAgentListStore,
  ForbiddenError,
  readTokenClaims,
  SessionExpiredError,
} from '@agentauth/agent-client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppContext, type AppServices } from './app-context.js';
import { NavigationGuardProvider, useGuard } from './navigation-guard.js';
import { SignIn, type SignInReason } from './session/sign-in.js';
import { useToken } from './session/use-token.js';
import { UserBadge } from './session/user-badge.js';
import { Workspace } from './workspace.js';

/** A token the service refused, and whether it said "expired" or "not valid". */
interface Refusal {
  readonly token: string;
  readonly kind: 'expired' | 'invalid';
}

/**
 * The whole app. No token → the sign-in page. A token the service refused before anything was
 * shown → the sign-in page saying whether the link expired or is not valid. A session that worked
 * and then expired → a sign-in dialog over the kept app; signing in again resumes (the chat socket
 * reconnects by itself). Who is signed in is shown only once the service accepted the token.
 */
export function App({ client }: { client: AgentClient }) {
  return (
    <NavigationGuardProvider>
      <SignedInOrNot client={client} />
    </NavigationGuardProvider>
  );
}

function SignedInOrNot({ client }: { client: AgentClient }) {
  const token = useToken(client.tokens);
  // A deliberate sign-out starts a fresh store so the next user never sees the previous list.
  const [epoch, setEpoch] = useState(0);
  // `epoch` is a dependency on purpose: a new store per sign-in epoch.
  const store = useMemo(() => createAgentListStore(client), [client, epoch]);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  /** The token the service last accepted (a list answer, or a 403 for a valid token's role). */
  const [verified, setVerified] = useState<string | null>(null);
  const [hadSession, setHadSession] = useState(false);
  const { guarded } = useGuard();

  const reportError = useCallback(
    (error: unknown) => {
      if (!(error instanceof SessionExpiredError) || error.reason !== 'rejected') return;
      const refused = client.tokens.get();
      if (refused === null) return;
      setRefusal({
        token: refused,
        kind: error.serverCode === 'ERR_TOKEN_EXPIRED' ? 'expired' : 'invalid',
      });
    },
    [client],
  );
  const services = useMemo<AppServices>(
    () => ({ client, store, reportError }),
    [client, store, reportError],
  );

  // The list answers for the token it was sent with: accepted (a list, or a 403 for the role of a
  // valid token) or refused (a 401). Each new answer is judged once, here.
  useEffect(() => {
    let judged: unknown = null;
    return store.subscribe(() => {
      const { status, error } = store.getState();
      if (status === 'ready' || error instanceof ForbiddenError) {
        setVerified(client.tokens.get());
        setHadSession(true);
      }
      if (status === 'error' && error !== judged) {
        judged = error;
        reportError(error);
      }
    });
  }, [store, client, reportError]);

  // Every new token (a sign-in here or in another tab) is checked by loading the list with it.
  useEffect(() => {
    if (token !== null) void store.refresh();
  }, [store, token]);

  const signIn = (next: string) => client.tokens.set(next);
  const signOut = () =>
    guarded(() => {
      client.tokens.clear();
      setRefusal(null);
      setVerified(null);
      setHadSession(false);
      setEpoch((n) => n + 1);
    });

  if (token === null) return <SignIn reason="signed-out" onToken={signIn} />;
  const refused = refusal !== null && refusal.token === token;
  if (refused && !hadSession) return <SignIn reason={refusal.kind} onToken={signIn} />;
  // The token that worked expired; a newly pasted one that was refused says why.
  const dialogReason: SignInReason =
    verified !== token && refusal?.kind === 'invalid' ? 'invalid' : 'session-expired';
  const claims = verified === token ? readTokenClaims(token) : null;
  return (
    <AppContext.Provider value={services}>
      <div className="app" inert={refused}>
        <header className="topbar">
          <span className="brand">
            <span className="logo" aria-hidden="true">
              ◆
            </span>{' '}
            agentauth
          </span>
          <UserBadge claims={claims} onSignOut={signOut} />
        </header>
        <Workspace role={claims?.role ?? ''} signedIn={!refused} />
      </div>
      {refused ? <SignIn reason={dialogReason} onToken={signIn} asDialog /> : null}
    </AppContext.Provider>
  );
}
