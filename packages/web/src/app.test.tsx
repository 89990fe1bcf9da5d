import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ALICE, displayToken, fakeBackend } from '../test/fake-backend.js';
import { App } from './app.js';

const refreshList = () => act(() => window.dispatchEvent(new Event('focus')));

describe('<App> sign-in', () => {
  it('shows the sign-in page when no token is stored, with no developer commands', () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/pnpm/);
    expect(document.activeElement).toBe(screen.getByLabelText('Sign-in link or token'));
    expect(backend.calls).toHaveLength(0);
  });

  it('refuses pasted text that is neither a link nor a token', async () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    await userEvent.type(screen.getByLabelText('Sign-in link or token'), 'hello{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/not a sign-in link or token/);
    expect(backend.tokens.get()).toBeNull();
  });

  it('accepts the whole sign-in link, submitted with Enter', async () => {
    const backend = fakeBackend({ token: null });
    render(<App client={backend.client} />);
    const token = displayToken({ sub: 'zoë', role: 'ADMIN' });
    await userEvent.type(
      screen.getByLabelText('Sign-in link or token'),
      `http://127.0.0.1:8080/#access_token=${token}{Enter}`,
    );
    expect(backend.tokens.get()).toBe(token);
    expect(await screen.findByText('zoë')).toBeTruthy();
    expect(screen.getByText('ADMIN')).toBeTruthy();
  });

  it('shows who is signed in only once the service accepted the token', async () => {
    const backend = fakeBackend({ token: displayToken({ sub: 'mallory', role: 'ADMIN' }) });
    backend.force('*', 401, {
      error: { code: 'ERR_TOKEN_INVALID', message: 'The token signature is not valid.' },
    });
    render(<App client={backend.client} />);
    expect(
      await screen.findByRole('heading', { name: 'This sign-in link is not valid' }),
    ).toBeTruthy();
    expect(screen.getByText(/Ask for a new sign-in link/)).toBeTruthy();
    expect(screen.queryByText('mallory')).toBeNull();
    expect(screen.queryByText('ADMIN')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says an expired link has expired, not that a session did', async () => {
    const backend = fakeBackend();
    backend.force('*', 401, { error: { code: 'ERR_TOKEN_EXPIRED', message: 'x' } });
    render(<App client={backend.client} />);
    expect(
      await screen.findByRole('heading', { name: 'This sign-in link has expired' }),
    ).toBeTruthy();
    expect(screen.queryByText(/Your session has expired/)).toBeNull();
  });

  it('signs out: clears the token and returns to the sign-in page', async () => {
    const backend = fakeBackend();
    backend.addAgent('helper');
    render(<App client={backend.client} />);
    expect(await screen.findByRole('link', { name: /helper/ })).toBeTruthy();
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

  it('on a 401 after a working session asks to sign in again over the kept agents, then resumes', async () => {
    const backend = fakeBackend();
    backend.addAgent('keep me');
    render(<App client={backend.client} />);
    expect(await screen.findByRole('link', { name: /keep me/ })).toBeTruthy();

    backend.force('GET /api/agents', 401, { error: { code: 'ERR_TOKEN_EXPIRED', message: 'x' } });
    refreshList();
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('heading', { name: 'Your session has expired' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Sign-in link or token'));
    // Nothing was wiped: the agent is still in the (inert) page behind the dialog.
    expect(screen.getByText('keep me')).toBeTruthy();

    backend.unforce('GET /api/agents');
    const fresh = displayToken({ sub: 'alice', role: 'REGULAR', exp: 4_100_000_000 });
    await userEvent.type(within(dialog).getByLabelText('Sign-in link or token'), fresh);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(backend.calls.at(-1)?.authorization).toBe(`Bearer ${fresh}`));
    expect(screen.getByRole('link', { name: /keep me/ })).toBeTruthy();
  });

  it('keeps the list when a refresh fails, and clears the error when the next one works', async () => {
    const backend = fakeBackend();
    backend.addAgent('still here');
    render(<App client={backend.client} />);
    await screen.findByRole('link', { name: /still here/ });
    backend.force('GET /api/agents', 500, { error: { code: 'ERR_INTERNAL', message: 'Boom.' } });
    refreshList();
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Could not refresh the list\. Boom\./,
    );
    expect(screen.getByRole('link', { name: /still here/ })).toBeTruthy();
    backend.unforce('GET /api/agents');
    refreshList();
    await waitFor(() => expect(screen.queryByText(/Could not refresh the list/)).toBeNull());
  });
});
