// Must run before any zod schema is built (see the file).
import './zod-jitless.js';
import { createAgentClient, createTokenStore } from '@agentauth/agent-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { takeTokenFromFragment } from './session/token-from-fragment.js';
import './styles.css';

const tokens = createTokenStore({ storage: window.localStorage, window });
// The sign-in link carries the token in the fragment; store it and clean the address bar first.
// Opening the link in a tab that already shows the app only changes the hash: listen for that too.
const signInFromFragment = () => {
  const fromLink = takeTokenFromFragment(window.location, window.history);
  if (fromLink !== null) tokens.set(fromLink);
};
signInFromFragment();
window.addEventListener('hashchange', signInFromFragment);

const client = createAgentClient({ baseUrl: window.location.origin, tokens });
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
