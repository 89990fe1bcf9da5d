import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ALICE, displayToken, fakeBackend } from '../test/fake-backend.js';
import { App } from './app.js';

describe('<App> sign-in', () => {
  it('shows the sign-in page when no token is stored', () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(backend.calls).toHaveLength(0);
  });

  it('refuses pasted text that is not a token', async () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    await userEvent.type(screen.getByLabelText('Access token'), 'hello');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert').textContent).toMatch(/does not look like a sign-in token/);
    expect(backend.tokens.get()).toBeNull();
  });

  it('signs in with a pasted token and shows who is signed in', async () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    await userEvent.type(
      screen.getByLabelText('Access token'),
      displayToken({ sub: 'zoë', role: 'ADMIN' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('zoë')).toBeTruthy();
    expect(screen.getByText('ADMIN')).toBeTruthy();
    expect(backend.storage.getItem('access_token')).toMatch(/^ey/);
  });

  it('signs out: clears the token and returns to the sign-in page', async () => {
    const backend = fakeBackend();
    backend.addAgent('helper');
    render(<App client={backend.client} />);
    expect(await screen.findByRole('button', { name: /helper/ })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(backend.tokens.get()).toBeNull();
  });

  it('sends the bearer token on the list and the model list', async () => {
    const backend = fakeBackend();
    render(<App client={backend.client} />);
    await screen.findByText(/No agents yet/);
    await waitFor(() => expect(backend.calls.map((c) => c.path)).toContain('/api/agents/models'));
    expect(backend.calls.every((c) => c.authorization === `Bearer ${ALICE}`)).toBe(true);
  });
});

describe('<App> when the server says no', () => {
  it('explains a 403: the account cannot use agents', async () => {
    const backend = fakeBackend({ token: displayToken({ sub: 'rita', role: 'RESTRICTED' }) });
    backend.force('*', 403, {
      error: { code: 'ERR_ROLE_FORBIDDEN', message: 'Role not allowed.' },
    });
    render(<App client={backend.client} />);
    const heading = await screen.findByRole('heading', { name: 'Your account cannot use agents' });
    expect(heading).toBeTruthy();
    expect(screen.getByText(/with the role RESTRICTED/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Create an agent' })).toBeNull();
  });

  it('on a 401 asks to sign in again over the kept agents, then resumes with the new token', async () => {
    const backend = fakeBackend();
    backend.addAgent('keep me');
    render(<App client={backend.client} />);
    expect(await screen.findByRole('button', { name: /keep me/ })).toBeTruthy();

    backend.force('GET /api/agents', 401, { error: { code: 'ERR_TOKEN_EXPIRED', message: 'x' } });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh the agent list' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('heading', { name: 'Your session has expired' })).toBeTruthy();
    // Nothing was wiped: the agent is still in the (inert) page behind the dialog.
    expect(screen.getByText('keep me')).toBeTruthy();

    backend.unforce('GET /api/agents');
    const fresh = displayToken({ sub: 'alice', role: 'REGULAR', exp: 4_100_000_000 });
    await userEvent.type(within(dialog).getByLabelText('Access token'), fresh);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(backend.calls.at(-1)?.authorization).toBe(`Bearer ${fresh}`));
    expect(screen.getByRole('button', { name: /keep me/ })).toBeTruthy();
  });

  it('keeps the list and shows the failure when a refresh fails', async () => {
    const backend = fakeBackend();
    backend.addAgent('still here');
    render(<App client={backend.client} />);
    await screen.findByRole('button', { name: /still here/ });
    backend.force('GET /api/agents', 500, { error: { code: 'ERR_INTERNAL', message: 'Boom.' } });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh the agent list' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Could not refresh the list\. Boom\./,
    );
    expect(screen.getByRole('button', { name: /still here/ })).toBeTruthy();
  });
});
