import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackend } from '../../test/fake-backend.js';
import { App } from '../app.js';
import { settingsPatch } from './settings-form.js';

async function openSettings(backend: ReturnType<typeof fakeBackend>, name: string) {
  render(<App client={backend.client} />);
  await userEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  await userEvent.click(screen.getByRole('tab', { name: 'Settings' }));
  return screen.findByLabelText('Max steps');
}

describe('settings', () => {
  it('loads the settings with GET and saves only the changed keys with PATCH', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('tuner', { maxSteps: 8, temperature: 0.2 });
    const steps = await openSettings(backend, 'tuner');
    expect((steps as HTMLInputElement).value).toBe('8');
    const save = screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await userEvent.clear(steps);
    await userEvent.type(steps, '3');
    await userEvent.click(screen.getByLabelText('Word count'));
    await userEvent.click(save);
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    const patch = backend.calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe(`/api/agents/${agent.id}/settings`);
    expect(patch?.body).toEqual({ maxSteps: 3, tools: ['calculator', 'current_time'] });
    expect(backend.agents.get(agent.id)?.settings.maxSteps).toBe(3);
  });

  it("shows the server's sentence when a change is refused", async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('strict');
    const steps = await openSettings(backend, 'strict');
    backend.force(`PATCH /api/agents/${agent.id}/settings`, 400, {
      error: { code: 'ERR_BAD_REQUEST', message: 'maxSteps must be at most 50.' },
    });
    await userEvent.clear(steps);
    await userEvent.type(steps, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('maxSteps must be at most 50.')).toBeTruthy();
  });

  it('shows an error with a retry when the settings cannot be loaded', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('broken');
    backend.force(`GET /api/agents/${agent.id}/settings`, 500, {
      error: { code: 'ERR_INTERNAL', message: 'Oops.' },
    });
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('button', { name: /broken/ }));
    await userEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    expect((await screen.findByText(/Could not load the settings/)).textContent).toMatch(/Oops/);
    backend.unforce(`GET /api/agents/${agent.id}/settings`);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByLabelText('Max steps')).toBeTruthy());
  });
});

describe('settingsPatch', () => {
  const base = { maxSteps: 8, temperature: 0.2, systemPrompt: 'p', tools: ['calculator' as const] };
  it('is empty when nothing changed, even if tools were reordered', () => {
    expect(settingsPatch(base, { ...base })).toEqual({});
  });
  it('carries only the changed keys', () => {
    expect(settingsPatch(base, { ...base, temperature: 1, systemPrompt: 'q' })).toEqual({
      temperature: 1,
      systemPrompt: 'q',
    });
  });
});
