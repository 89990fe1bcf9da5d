import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackend } from '../../test/fake-backend.js';
import { App } from '../app.js';

describe('agents', () => {
  it('shows a loading state, then the empty state', async () => {
    const backend = fakeBackend();
    render(<App client={backend.client} />);
    expect(screen.getByText('Loading agents…')).toBeTruthy();
    expect(await screen.findByText(/No agents yet/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Create your first agent' })).toBeTruthy();
    expect(screen.queryByText(/Pick an agent on the left/)).toBeNull();
  });

  it("shows each agent's owner, and says when agents are shared", async () => {
    const backend = fakeBackend();
    backend.addAgent('mine');
    const theirs = backend.addAgent('theirs');
    backend.agents.set(theirs.id, { ...theirs, ownerUid: 8 });
    backend.force('GET /api/agents', 200, {
      agents: [...backend.agents.values()],
      access: 'shared',
    });
    render(<App client={backend.client} />);
    expect((await screen.findByRole('link', { name: /mine/ })).textContent).toMatch(/owner: you/);
    expect(screen.getByRole('link', { name: /theirs/ }).textContent).toMatch(/owner: user 8/);
    expect(screen.getByRole('note').textContent).toMatch(/Agents are shared/);
  });

  it('does not say agents are shared under the owner policy', async () => {
    const backend = fakeBackend();
    backend.addAgent('mine');
    backend.force('GET /api/agents', 200, {
      agents: [...backend.agents.values()],
      access: 'owner',
    });
    render(<App client={backend.client} />);
    await screen.findByRole('link', { name: /mine/ });
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('shows an error with a retry when the first load fails', async () => {
    const backend = fakeBackend();
    backend.force('GET /api/agents', 0);
    render(<App client={backend.client} />);
    const alert = await screen.findByText(/Could not load your agents/);
    expect(alert.textContent).toMatch(/could not be reached/);
    backend.unforce('GET /api/agents');
    backend.addAgent('back again');
    await userEvent.click(screen.getAllByRole('button', { name: 'Try again' })[0] as HTMLElement);
    expect(await screen.findByRole('link', { name: /back again/ })).toBeTruthy();
  });

  it('creates an agent with a model chosen from GET /api/agents/models', async () => {
    const backend = fakeBackend();
    render(<App client={backend.client} />);
    const form = await screen.findByRole('form', { name: 'Create an agent' });
    const model = await within(form).findByLabelText('Model');
    await userEvent.selectOptions(model, 'dev-model-large');
    await userEvent.type(within(form).getByLabelText('Name'), 'Researcher');
    await userEvent.click(within(form).getByRole('button', { name: 'Create agent' }));
    const created = await screen.findByRole('heading', { name: 'Researcher', level: 2 });
    expect(created).toBeTruthy();
    // The new agent has its own address, and the cursor waits in its message box.
    const id = [...backend.agents.values()][0]?.id;
    expect(window.location.pathname).toBe(`/agents/${id}`);
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' })),
    );
    expect(backend.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Researcher',
      modelType: 'dev-model-large',
    });
    expect(screen.getByRole('link', { name: /Researcher/ }).getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('says so when the model list cannot be loaded, and does not allow creating', async () => {
    const backend = fakeBackend();
    backend.force('GET /api/agents/models', 502, {
      error: { code: 'ERR_LLM_UNAVAILABLE', message: 'The model endpoint is unavailable.' },
    });
    render(<App client={backend.client} />);
    expect((await screen.findByText(/Could not load models/)).textContent).toMatch(/unavailable/);
    expect(
      (screen.getByRole('button', { name: 'Create agent' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('requires a name', async () => {
    const backend = fakeBackend();
    render(<App client={backend.client} />);
    const form = await screen.findByRole('form', { name: 'Create an agent' });
    await within(form).findByLabelText('Model');
    await userEvent.click(within(form).getByRole('button', { name: 'Create agent' }));
    expect(within(form).getByRole('alert').textContent).toBe('Give the agent a name.');
    expect(backend.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('deletes an agent after a confirmation dialog that takes focus, then focuses the list', async () => {
    const backend = fakeBackend();
    backend.addAgent('old');
    backend.addAgent('other');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('link', { name: /old/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete agent' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete “old”?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: /old/ })).toBeNull());
    expect(backend.agents.size).toBe(1);
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('heading', { name: 'Choose an agent' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search agents' }));
  });

  it('cancelling the delete dialog returns focus to Delete agent', async () => {
    const backend = fakeBackend();
    backend.addAgent('keep');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('link', { name: /keep/ }));
    const remove = screen.getByRole('button', { name: 'Delete agent' });
    await userEvent.click(remove);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(remove);
    expect(backend.agents.size).toBe(1);
  });

  it('filters the list with the search box and gives each agent its own address', async () => {
    const backend = fakeBackend();
    const alpha = backend.addAgent('Alpha');
    backend.addAgent('Beta');
    render(<App client={backend.client} />);
    const link = await screen.findByRole('link', { name: /Alpha/ });
    expect(link.getAttribute('href')).toBe(`/agents/${alpha.id}`);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search agents' }), 'bet');
    expect(screen.queryByRole('link', { name: /Alpha/ })).toBeNull();
    expect(screen.getByRole('link', { name: /Beta/ })).toBeTruthy();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search agents' }), 'x');
    expect(screen.getByText('No agent matches “betx”.')).toBeTruthy();
  });

  it('opens the agent named by the address (a deep link or a reload)', async () => {
    const backend = fakeBackend();
    backend.addAgent('first');
    const second = backend.addAgent('second');
    window.history.replaceState(null, '', `/agents/${second.id}/settings`);
    render(<App client={backend.client} />);
    expect(await screen.findByRole('heading', { name: 'second', level: 2 })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });

  it('says so when the address names an agent that does not exist', async () => {
    const backend = fakeBackend();
    window.history.replaceState(null, '', '/agents/00000000-0000-4000-8000-999999999999');
    render(<App client={backend.client} />);
    expect(await screen.findByRole('heading', { name: 'This agent does not exist' })).toBeTruthy();
  });

  it('marks running agents in the list', async () => {
    const backend = fakeBackend();
    backend.addAgent('busy', {}, { running: true });
    backend.addAgent('calm');
    render(<App client={backend.client} />);
    const busy = await screen.findByRole('link', { name: /busy/ });
    expect(within(busy).getByTestId('running-marker').textContent).toMatch(/running/);
    expect(
      within(screen.getByRole('link', { name: /calm/ })).queryByTestId('running-marker'),
    ).toBeNull();
  });

  it('keeps the agent when the delete fails', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('sticky');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('link', { name: /sticky/ }));
    backend.force(`DELETE /api/agents/${agent.id}`, 500, {
      error: { code: 'ERR_INTERNAL', message: 'Disk full.' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Delete agent' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect((await screen.findByText(/Could not delete the agent/)).textContent).toMatch(
      /Disk full/,
    );
    expect(screen.getByRole('link', { name: /sticky/ })).toBeTruthy();
  });

  it('switches tabs with the arrow keys', async () => {
    const backend = fakeBackend();
    backend.addAgent('tabby');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('link', { name: /tabby/ }));
    const chatTab = screen.getByRole('tab', { name: 'Chat' });
    expect(chatTab.getAttribute('aria-selected')).toBe('true');
    chatTab.focus();
    await userEvent.keyboard('{ArrowRight}');
    const settingsTab = screen.getByRole('tab', { name: 'Settings' });
    expect(settingsTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(settingsTab);
    expect(window.location.pathname).toMatch(/\/settings$/);
  });
});
