import type { StepsPage } from '@agentauth/agent-api';
import { PROMPT_MAX_LENGTH } from '@agentauth/agent-api';
import type { AgentSession, SessionState } from '@agentauth/agent-client';
import {
  type FormEvent,
  type KeyboardEvent,
  type UIEvent,
  useCallback,
  useEffect,
  useId,
  useReducer,
  useRef,
  useState,
} from 'react';
import { useApp } from '../app-context.js';
import { describeError } from '../ui/error-message.js';
import { RunStatus } from './run-status.js';
import { StepItem } from './step-item.js';
import {
  applyEvent,
  dismissNotice,
  EMPTY_TRANSCRIPT,
  prependPage,
  type Transcript,
} from './transcript.js';
import { useEarlierSteps } from './use-earlier-steps.js';

type Action =
  | { type: 'event'; event: Parameters<typeof applyEvent>[1] }
  | { type: 'older'; page: StepsPage }
  | { type: 'dismiss'; id: number };

const reduce = (state: Transcript, action: Action): Transcript =>
  action.type === 'event'
    ? applyEvent(state, action.event)
    : action.type === 'older'
      ? prependPage(state, action.page)
      : dismissNotice(state, action.id);

/**
 * Chat with one agent over its WebSocket: streamed model text as it arrives, tool calls and
 * results, the final answer, the run status and a stop button.
 */
export function ChatView({ agentId }: { agentId: string }) {
  const { client, reportError } = useApp();
  const [transcript, dispatch] = useReducer(reduce, EMPTY_TRANSCRIPT);
  const [connection, setConnection] = useState<SessionState>('connecting');
  const [connectionError, setConnectionError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const session = useRef<AgentSession | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const promptId = useId();

  useEffect(() => {
    const opened = client.openSession(agentId, {
      onEvent: (event) => dispatch({ type: 'event', event }),
      onStateChange: (state, error) => {
        setConnection(state);
        setConnectionError(error ? describeError(error) : null);
        if (error) reportError(error);
      },
    });
    session.current = opened;
    return () => {
      opened.close();
      session.current = null;
    };
  }, [agentId, client, reportError]);

  const onOlderPage = useCallback((page: StepsPage) => dispatch({ type: 'older', page }), []);
  const earlier = useEarlierSteps(agentId, transcript.older, onOlderPage);
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (event.currentTarget.scrollTop < 40) void earlier.loadEarlier();
  };

  const last = transcript.steps.at(-1);
  const newest = last ? `${last.runId}:${last.seq}:${last.kind}` : '';
  const streamed = transcript.streaming.reduce((n, s) => n + s.text.length, 0);
  // Keep the newest output in view whenever it changes (not when older history is put in front).
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [newest, streamed]);

  const running = transcript.runState === 'running';
  const open = connection === 'open';

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || running || !open) return;
    try {
      if (session.current?.sendPrompt(text)) {
        setText('');
        setProblem(null);
      } else {
        setProblem('Not connected yet. Try again in a moment.');
      }
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  const stop = async () => {
    if (session.current?.stop()) return;
    try {
      await client.stopAgent(agentId);
    } catch (error) {
      reportError(error);
      setProblem(describeError(error));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const empty = transcript.steps.length === 0 && transcript.streaming.length === 0;

  return (
    <section className="chat" aria-label="Chat">
      <RunStatus run={transcript.runState} connection={connection} />
      {connectionError && connection !== 'open' ? (
        <p className="error" role="alert">
          {connectionError}
        </p>
      ) : null}
      <div className="transcript" onScroll={onScroll}>
        {transcript.older !== undefined ? (
          <button
            type="button"
            className="link"
            disabled={earlier.loading}
            onClick={() => void earlier.loadEarlier()}
          >
            {earlier.loading ? 'Loading earlier messages…' : 'Load earlier messages'}
          </button>
        ) : null}
        {connection === 'connecting' && empty ? (
          <p className="muted" role="status">
            Loading the conversation…
          </p>
        ) : empty ? (
          <p className="muted empty">No messages yet. Ask the agent something below.</p>
        ) : null}
        <ol className="steps" role="log" aria-live="polite" aria-label="Conversation">
          {transcript.steps.map((step) => (
            <StepItem key={`${step.runId}:${step.seq}:${step.kind}`} step={step} />
          ))}
          {transcript.streaming.map((s) => (
            <li key={`${s.runId}:${s.seq}:stream`} className="step streaming" aria-busy="true">
              <span className="step-label">Agent is writing…</span>
              <p>
                {s.text}
                <span className="cursor" aria-hidden="true" />
              </p>
            </li>
          ))}
        </ol>
        <div ref={endRef} />
      </div>
      {transcript.notices.map((notice) => (
        <div key={notice.id} className="notice" role="alert">
          <span>{notice.message}</span>
          <button
            type="button"
            className="link"
            aria-label="Dismiss notice"
            onClick={() => dispatch({ type: 'dismiss', id: notice.id })}
          >
            ×
          </button>
        </div>
      ))}
      <form className="composer" onSubmit={send}>
        <label htmlFor={promptId} className="visually-hidden">
          Message
        </label>
        <textarea
          id={promptId}
          rows={2}
          placeholder="Ask the agent… (Enter to send, Shift+Enter for a new line)"
          maxLength={PROMPT_MAX_LENGTH}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-actions">
          <button type="submit" disabled={!open || running || !text.trim()}>
            Send
          </button>
          <button type="button" className="danger" disabled={!running} onClick={stop}>
            Stop
          </button>
        </div>
      </form>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
