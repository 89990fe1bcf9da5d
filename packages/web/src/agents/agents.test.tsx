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
    expect((await screen.findByRole('button', { name: /mine/ })).textContent).toMatch(/owner: you/);
    expect(screen.getByRole('button', { name: /theirs/ }).textContent).toMatch(/owner: user 8/);
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
    await screen.findByRole('button', { name: /mine/ });
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
    expect(await screen.findByRole('button', { name: /back again/ })).toBeTruthy();
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
    expect(backend.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Researcher',
      modelType: 'dev-model-large',
    });
    expect(screen.getByRole('button', { name: /Researcher/ }).getAttribute('aria-current')).toBe(
      'true',
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

  it('deletes an agent after confirmation', async () => {
    const backend = fakeBackend();
    backend.addAgent('old');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('button', { name: /old/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete agent' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: /old/ })).toBeNull());
    expect(backend.agents.size).toBe(0);
    expect(screen.getByRole('heading', { name: 'Choose an agent' })).toBeTruthy();
  });

  it('keeps the agent when the delete fails', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('sticky');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('button', { name: /sticky/ }));
    backend.force(`DELETE /api/agents/${agent.id}`, 500, {
      error: { code: 'ERR_INTERNAL', message: 'Disk full.' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Delete agent' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect((await screen.findByText(/Could not delete the agent/)).textContent).toMatch(
      /Disk full/,
    );
    expect(screen.getByRole('button', { name: /sticky/ })).toBeTruthy();
  });

  it('switches tabs with the arrow keys', async () => {
    const backend = fakeBackend();
    backend.addAgent('tabby');
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('button', { name: /tabby/ }));
    const chatTab = screen.getByRole('tab', { name: 'Chat' });
    expect(chatTab.getAttribute('aria-selected')).toBe('true');
    chatTab.focus();
    await userEvent.keyboard('{ArrowRight}');
    const settingsTab = screen.getByRole('tab', { name: 'Settings' });
    expect(settingsTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(settingsTab);
  });
});
