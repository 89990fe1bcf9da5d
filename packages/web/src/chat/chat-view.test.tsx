import { CLOSE_CODE, REACT_SUBPROTOCOL } from '@agentauth/agent-api';
import { bearerProtocol } from '@agentauth/auth-core';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ALICE, displayToken, FakeSocket, fakeBackend, step, V } from '../../test/fake-backend.js';
import { App } from '../app.js';

async function openChat() {
  const backend = fakeBackend();
  const agent = backend.addAgent('chatty');
  render(<App client={backend.client} />);
  await userEvent.click(await screen.findByRole('button', { name: /chatty/ }));
  const socket = FakeSocket.latest();
  return { backend, agent, socket };
}

const server = (socket: FakeSocket, ...events: Parameters<FakeSocket['emit']>[0][]) =>
  act(() => {
    for (const event of events) socket.emit(event);
  });

describe('<ChatView>', () => {
  it('connects without a token in the URL (a bearer subprotocol entry) and shows the loading, then the empty state', async () => {
    const { agent, socket } = await openChat();
    expect(socket.url).toBe(`ws://app.test/api/agents/${agent.id}/react`);
    expect(socket.protocols).toEqual([REACT_SUBPROTOCOL, bearerProtocol(ALICE)]);
    expect(screen.getByText('Loading the conversation…')).toBeTruthy();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'idle', steps: [] });
    expect(screen.getByText(/No messages yet/)).toBeTruthy();
    expect(screen.getByTestId('connection-status').textContent).toBe('Connected');
    expect(screen.getByTestId('run-status').textContent).toBe('Idle');
  });

  it('sends a prompt, streams the answer as it arrives, and shows tools and the final answer', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'idle', steps: [] });

    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'What is 6*7?{Enter}');
    expect(socket.sent).toEqual([{ v: V, type: 'prompt', text: 'What is 6*7?' }]);
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe(
      '',
    );

    await server(
      socket,
      { v: V, type: 'status', state: 'running', runId: 'run-1' },
      { v: V, type: 'step', step: step('prompt', { seq: 0, text: 'What is 6*7?' }) },
      {
        v: V,
        type: 'step',
        step: { kind: 'text_delta', runId: 'run-1', seq: 1, delta: 'Let me ' },
      },
    );
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(within(log).getByText(/Let me/)).toBeTruthy();
    expect(screen.getByTestId('run-status').textContent).toBe('Running…');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);

    await server(socket, {
      v: V,
      type: 'step',
      step: { kind: 'text_delta', runId: 'run-1', seq: 1, delta: 'calculate.' },
    });
    expect(within(log).getByText('Let me calculate.')).toBeTruthy();

    await server(
      socket,
      { v: V, type: 'step', step: step('model_text', { seq: 1, text: 'Let me calculate.' }) },
      {
        v: V,
        type: 'step',
        step: step('tool_call', {
          seq: 2,
          callId: 'c1',
          tool: 'calculator',
          arguments: '{"expression":"6*7"}',
        }),
      },
      {
        v: V,
        type: 'step',
        step: step('tool_result', {
          seq: 3,
          callId: 'c1',
          tool: 'calculator',
          output: '42',
          ok: true,
        }),
      },
      { v: V, type: 'step', step: step('final_answer', { seq: 4, text: 'The answer is 42.' }) },
      { v: V, type: 'status', state: 'completed', runId: 'run-1' },
    );
    expect(within(log).getByText('Tool call · calculator')).toBeTruthy();
    expect(within(log).getByText(/"expression": "6\*7"/)).toBeTruthy();
    expect(within(log).getByText('Tool result · calculator')).toBeTruthy();
    expect(within(log).getByText('The answer is 42.')).toBeTruthy();
    expect(within(log).queryByText('Agent is writing…')).toBeNull();
    expect(screen.getByTestId('run-status').textContent).toBe('Completed');
  });

  it('stops a running run over the socket', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'running', steps: [] });
    const stop = screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement;
    expect(stop.disabled).toBe(false);
    await userEvent.click(stop);
    expect(socket.sent).toEqual([{ v: V, type: 'stop' }]);
    await server(socket, { v: V, type: 'status', state: 'stopped', runId: 'run-1' });
    expect(screen.getByTestId('run-status').textContent).toBe('Stopped');
    expect(stop.disabled).toBe(true);
  });

  it('restores the history from the snapshot', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'completed',
      steps: [
        step('prompt', { seq: 0, text: 'Earlier question' }),
        step('final_answer', { seq: 1, text: 'Earlier answer' }),
      ],
    });
    expect(screen.getByText('Earlier question')).toBeTruthy();
    expect(screen.getByText('Earlier answer')).toBeTruthy();
  });

  it('shows error events as dismissible notices', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(
      socket,
      { v: V, type: 'snapshot', agent, status: 'idle', steps: [] },
      { v: V, type: 'error', code: 'ERR_LLM_UNAVAILABLE', message: 'The model endpoint failed.' },
    );
    expect(screen.getByText('The model endpoint failed.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByText('The model endpoint failed.')).toBeNull();
  });

  it('on a close for expiry asks to sign in again, keeps the conversation, and reconnects with the new token', async () => {
    const { backend, agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'idle',
      steps: [step('prompt', { seq: 0, text: 'Keep this' })],
    });
    act(() => socket.drop(CLOSE_CODE.tokenExpired));
    const dialog = await screen.findByRole('dialog');
    expect(screen.getByText('Keep this')).toBeTruthy();
    expect(screen.getByTestId('connection-status').textContent).toBe('Signed out');

    const fresh = displayToken({ sub: 'alice', role: 'REGULAR', exp: 4_100_000_000 });
    await userEvent.type(within(dialog).getByLabelText('Access token'), fresh);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(FakeSocket.instances).toHaveLength(2));
    expect(FakeSocket.latest().protocols).toContain(bearerProtocol(fresh));
    expect(FakeSocket.latest().url).not.toContain('?');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('Keep this')).toBeTruthy();
    expect(backend.tokens.get()).toBe(fresh);
  });

  it('closes the socket when leaving the agent', async () => {
    const { socket } = await openChat();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(socket.closed).toBe(true);
  });
});
