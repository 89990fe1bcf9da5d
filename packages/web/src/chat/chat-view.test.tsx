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
  await userEvent.click(await screen.findByRole('link', { name: /chatty/ }));
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
    // Send turns into Stop while the agent answers.
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();

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
    // The tool step is one collapsed line; opened, it shows the input and the result.
    const tool = within(log).getByText('Used Calculator').closest('details') as HTMLDetailsElement;
    expect(tool.open).toBe(false);
    expect(within(tool).getByText(/done in/)).toBeTruthy();
    await userEvent.click(within(tool).getByText('Used Calculator'));
    expect(tool.open).toBe(true);
    expect(within(tool).getByText(/"expression": "6\*7"/)).toBeTruthy();
    expect(within(tool).getByText('42')).toBeTruthy();
    expect(within(log).getByText('The answer is 42.')).toBeTruthy();
    expect(within(log).getAllByRole('time').length).toBeGreaterThan(0);
    expect(within(log).queryByText('Agent is writing…')).toBeNull();
    expect(screen.getByTestId('run-status').textContent).toBe('Completed');
  });

  it('stops a running run over the socket, marks it stopped and returns focus to the message box', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'running',
      steps: [step('prompt', { seq: 0, text: 'count to 400' })],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(socket.sent).toEqual([{ v: V, type: 'stop' }]);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
    await server(
      socket,
      { v: V, type: 'step', step: step('model_text', { seq: 1, text: '1 2 3' }) },
      { v: V, type: 'status', state: 'stopped', runId: 'run-1' },
    );
    expect(screen.getByTestId('run-status').textContent).toBe('Stopped');
    expect(screen.getByText('Stopped before the answer was finished.')).toBeTruthy();
    expect(screen.getByText('Interrupted')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('Escape stops a run from anywhere on the page', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'running', steps: [] });
    screen.getByRole('tab', { name: 'Chat' }).focus();
    await userEvent.keyboard('{Escape}');
    expect(socket.sent).toEqual([{ v: V, type: 'stop' }]);
  });

  it('marks a run without an answer as stopped after a reload (from the history alone)', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'idle',
      steps: [step('prompt', { seq: 0, text: 'long one' })],
    });
    expect(screen.getByText('Stopped.')).toBeTruthy();
  });

  it('shows one worded error per failed run with Retry and the setting that fixes it, cleared by the next run', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    const failed = (runId: string, seq: number, code: string, message: string) => ({
      ...step('error', { seq, code, message }),
      runId,
    });
    await server(
      socket,
      { v: V, type: 'snapshot', agent, status: 'idle', steps: [] },
      { v: V, type: 'status', state: 'running', runId: 'run-1' },
      { v: V, type: 'step', step: step('prompt', { seq: 0, text: '#loop' }) },
      {
        v: V,
        type: 'step',
        step: failed('run-1', 1, 'ERR_MAX_STEPS', 'The agent used all 8 steps'),
      },
      {
        v: V,
        type: 'error',
        code: 'ERR_MAX_STEPS',
        message: 'The agent used all 8 steps',
        runId: 'run-1',
      },
      { v: V, type: 'status', state: 'error', runId: 'run-1' },
    );
    const alerts = screen.getAllByRole('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.textContent).toMatch(/The agent ran out of steps/);
    expect(screen.queryByText(/ERR_MAX_STEPS/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Raise Max steps in Settings' })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(socket.sent).toEqual([{ v: V, type: 'prompt', text: '#loop' }]);
    await server(
      socket,
      { v: V, type: 'status', state: 'running', runId: 'run-2' },
      {
        v: V,
        type: 'step',
        step: { ...step('prompt', { seq: 0, text: '#loop' }), runId: 'run-2' },
      },
    );
    // The old failure is a short note now, without actions; no alert is left.
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.getByText(/The agent ran out of steps\. It used every step/)).toBeTruthy();
  });

  it('opens the settings at Max steps from the error', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'error',
      steps: [
        step('prompt', { seq: 0, text: '#loop' }),
        step('error', { seq: 1, code: 'ERR_MAX_STEPS', message: 'x' }),
      ],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Raise Max steps in Settings' }));
    expect(window.location.pathname).toBe(`/agents/${agent.id}/settings`);
    const steps = await screen.findByLabelText('Max steps');
    await waitFor(() => expect(document.activeElement).toBe(steps));
  });

  it('keeps a partial answer and marks it interrupted when the model fails mid-stream', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(
      socket,
      { v: V, type: 'snapshot', agent, status: 'idle', steps: [] },
      { v: V, type: 'status', state: 'running', runId: 'run-1' },
      { v: V, type: 'step', step: step('prompt', { seq: 0, text: 'count #cut' }) },
      { v: V, type: 'step', step: { kind: 'text_delta', runId: 'run-1', seq: 1, delta: '1 2 3' } },
      { v: V, type: 'step', step: step('model_text', { seq: 1, text: '1 2 3' }) },
      {
        v: V,
        type: 'step',
        step: step('error', { seq: 2, code: 'ERR_LLM_UNAVAILABLE', message: 'UND_ERR_SOCKET' }),
      },
      { v: V, type: 'status', state: 'error', runId: 'run-1' },
    );
    expect(screen.getByText('1 2 3')).toBeTruthy();
    expect(screen.getByText('Interrupted')).toBeTruthy();
    expect(screen.getByText('The language model stopped answering')).toBeTruthy();
    expect(screen.queryByText(/UND_ERR_SOCKET/)).toBeNull();
  });

  it('renders markdown safely: formatting, code with a copy button, links; no raw HTML', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    const text = [
      'Some **bold** and `code`.',
      '',
      '```',
      'let x = 1;',
      '```',
      '',
      '- one',
      '- two',
      '',
      'See https://example.org and <img src=x onerror=alert(1)><b>raw</b> [bad](javascript:alert(1)).',
    ].join('\n');
    await server(socket, {
      v: V,
      type: 'snapshot',
      agent,
      status: 'completed',
      steps: [step('prompt', { seq: 0, text: 'md' }), step('final_answer', { seq: 1, text })],
    });
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect((await within(log).findByText('bold')).tagName).toBe('STRONG');
    expect(within(log).getByText('code').tagName).toBe('CODE');
    expect(
      within(log)
        .getAllByRole('listitem')
        .some((li) => li.textContent === 'one'),
    ).toBe(true);
    const link = within(log).getByRole('link', { name: 'https://example.org' });
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(log.querySelector('img')).toBeNull();
    expect(log.querySelector('b')).toBeNull();
    expect(
      within(log).queryByRole('link', { name: 'bad' })?.getAttribute('href') ?? '',
    ).not.toMatch(/javascript/);
    expect(within(log).getByRole('button', { name: 'Copy code' })).toBeTruthy();
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

  it('shows a refusal outside a run as one dismissible notice in words', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(
      socket,
      { v: V, type: 'snapshot', agent, status: 'idle', steps: [] },
      { v: V, type: 'error', code: 'ERR_RUN_IN_PROGRESS', message: 'A run is in progress.' },
      { v: V, type: 'error', code: 'ERR_RUN_IN_PROGRESS', message: 'A run is in progress.' },
    );
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByText(/The agent is still busy/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/The agent is still busy/)).toBeNull();
  });

  it('says when a rate-limited prompt can be sent again', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(
      socket,
      { v: V, type: 'snapshot', agent, status: 'idle', steps: [] },
      {
        v: V,
        type: 'error',
        code: 'ERR_RATE_LIMITED',
        message: 'Too many runs.',
        retryAfterMs: 45_000,
      },
    );
    const notice = screen.getByRole('alert').textContent ?? '';
    expect(notice).toMatch(/You have reached your limit for now/);
    expect(notice).toMatch(/a minute\. You can try again at [^.]+\.(Dismiss|×)?$/);
    expect(notice).not.toMatch(/Wait a moment/);
  });

  it('explains a lost connection while it lasts', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'idle', steps: [] });
    act(() => socket.drop(1006));
    expect(screen.getByTestId('connection-banner').textContent).toMatch(
      /connection to the agent service was lost/,
    );
    expect(screen.getByText('You can send once the chat is connected.')).toBeTruthy();
  });

  it('an agent deleted elsewhere is said once, and its controls are disabled', async () => {
    const { agent, socket } = await openChat();
    act(() => socket.open());
    await server(socket, { v: V, type: 'snapshot', agent, status: 'idle', steps: [] });
    await server(socket, { v: V, type: 'error', code: 'ERR_NOT_FOUND', message: 'Deleted.' });
    act(() => socket.drop(CLOSE_CODE.agentDeleted));
    await waitFor(() =>
      expect(screen.getAllByText(/This agent was deleted, here or in another tab/)).toHaveLength(1),
    );
    expect(screen.queryByText('Deleted.')).toBeNull();
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).disabled).toBe(
      true,
    );
    expect(
      (screen.getByRole('button', { name: 'Delete agent' }) as HTMLButtonElement).disabled,
    ).toBe(true);
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
    await userEvent.type(within(dialog).getByLabelText('Sign-in link or token'), fresh);
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
