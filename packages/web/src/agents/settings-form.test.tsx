import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBackend } from '../../test/fake-backend.js';
import { App } from '../app.js';
import { settingsPatch } from './settings-form.js';

async function openSettings(backend: ReturnType<typeof fakeBackend>, name: string) {
  render(<App client={backend.client} />);
  await userEvent.click(await screen.findByRole('link', { name: new RegExp(name) }));
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
    const saved = await screen.findByText('Settings saved.');
    // Save is disabled now; focus is on the confirmation, not lost to the page.
    expect(document.activeElement).toBe(saved);
    const patch = backend.calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe(`/api/agents/${agent.id}/settings`);
    expect(patch?.body).toEqual({ maxSteps: 3, tools: ['calculator', 'current_time'] });
    expect(backend.agents.get(agent.id)?.settings.maxSteps).toBe(3);
  });

  it('shows each invalid field its own error in words, with the allowed range', async () => {
    const backend = fakeBackend();
    backend.addAgent('ranges');
    const steps = await openSettings(backend, 'ranges');
    expect(screen.getByText(/A whole number from 1 to 50\./)).toBeTruthy();
    expect(screen.getByText(/A number from 0 to 2/)).toBeTruthy();
    await userEvent.clear(steps);
    await userEvent.type(steps, '99');
    const temperature = screen.getByLabelText('Temperature');
    await userEvent.clear(temperature);
    await userEvent.type(temperature, '7');
    expect(steps.getAttribute('aria-invalid')).toBe('true');
    expect(temperature.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Max steps must be a whole number from 1 to 50.')).toBeTruthy();
    expect(screen.getByText('Temperature must be a number from 0 to 2.')).toBeTruthy();
    expect(steps.getAttribute('aria-describedby')).toContain(
      screen.getByText('Max steps must be a whole number from 1 to 50.').id,
    );
    expect(
      (screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(screen.queryByText(/maxSteps/)).toBeNull();
  });

  it('asks before dropping unsaved changes, and keeps them on "Keep editing"', async () => {
    const backend = fakeBackend();
    backend.addAgent('careful', { maxSteps: 8 });
    const steps = await openSettings(backend, 'careful');
    await userEvent.clear(steps);
    await userEvent.type(steps, '4');
    await userEvent.click(screen.getByRole('tab', { name: 'Chat' }));
    const dialog = screen.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect((screen.getByLabelText('Max steps') as HTMLInputElement).value).toBe('4');
    await userEvent.click(screen.getByRole('tab', { name: 'Chat' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
    expect(backend.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('asks before Back drops unsaved changes, and goes back once agreed', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('backwards', { maxSteps: 8 });
    const steps = await openSettings(backend, 'backwards');
    await userEvent.clear(steps);
    await userEvent.type(steps, '5');
    act(() => window.history.back());
    const dialog = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    expect(window.location.pathname).toBe(`/agents/${agent.id}/settings`);
    expect((screen.getByLabelText('Max steps') as HTMLInputElement).value).toBe('5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Discard changes' }));
    expect(window.location.pathname).toBe(`/agents/${agent.id}`);
    expect(screen.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
  });

  it('puts the cursor in the field the address names (?field=maxSteps)', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('focus');
    window.history.replaceState(null, '', `/agents/${agent.id}/settings?field=maxSteps`);
    render(<App client={backend.client} />);
    const steps = await screen.findByLabelText('Max steps');
    await waitFor(() => expect(document.activeElement).toBe(steps));
  });

  it("places the server's refusal on its field, in words", async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('strict');
    const steps = await openSettings(backend, 'strict');
    backend.force(`PATCH /api/agents/${agent.id}/settings`, 400, {
      error: { code: 'ERR_BAD_REQUEST', message: 'maxSteps must be at most 50.' },
    });
    await userEvent.clear(steps);
    await userEvent.type(steps, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Max steps must be a whole number from 1 to 50.')).toBeTruthy();
    expect(screen.getByLabelText('Max steps').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows an error with a retry when the settings cannot be loaded', async () => {
    const backend = fakeBackend();
    const agent = backend.addAgent('broken');
    backend.force(`GET /api/agents/${agent.id}/settings`, 500, {
      error: { code: 'ERR_INTERNAL', message: 'Oops.' },
    });
    render(<App client={backend.client} />);
    await userEvent.click(await screen.findByRole('link', { name: /broken/ }));
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
