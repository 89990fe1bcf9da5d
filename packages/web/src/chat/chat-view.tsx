import type { StepsPage } from '@agentauth/agent-api';
import { PROMPT_MAX_LENGTH } from '@agentauth/agent-api';
import type { AgentSession, SessionState } from '@agentauth/agent-client';
import {
  type FormEvent,
  type KeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { useApp } from '../app-context.js';
import { useGuard } from '../navigation-guard.js';
import { paths } from '../routes.js';
import { describeError } from '../ui/error-message.js';
import { ConnectionBanner } from './connection-banner.js';
import { RunBlock } from './run-block.js';
import { describeRunError, runErrorLine } from './run-error.js';
import { RunStatus } from './run-status.js';
import { groupRuns } from './runs.js';
import {
  applyEvent,
  dismissNotice,
  EMPTY_TRANSCRIPT,
  type Problem,
  prependPage,
  type Transcript,
} from './transcript.js';
import { useEarlierSteps } from './use-earlier-steps.js';
import { useFollowStream } from './use-follow-stream.js';

type Action =
  | { type: 'event'; event: Parameters<typeof applyEvent>[1] }
  | { type: 'older'; page: StepsPage }
  | { type: 'dismiss' };

const reduce = (state: Transcript, action: Action): Transcript =>
  action.type === 'event'
    ? applyEvent(state, action.event)
    : action.type === 'older'
      ? prependPage(state, action.page)
      : dismissNotice(state);

/**
 * Chat with one agent over its WebSocket: the conversation (markdown answers, collapsible tool
 * steps, one error in words per failed run with Retry), a message box that grows, Send and Stop.
 * The transcript follows the stream only while the reader is at its end. Escape stops a run.
 */
export function ChatView({
  agentId,
  focusOnOpen = false,
  onGone,
  onRunningChange,
}: {
  agentId: string;
  /** Put the cursor in the message box once the chat is shown (the agent was just opened). */
  focusOnOpen?: boolean;
  /** The agent was deleted while its chat was open (here or in another tab). */
  onGone?: () => void;
  onRunningChange?: (running: boolean) => void;
}) {
  const { client, store, reportError } = useApp();
  const { navigate } = useGuard();
  const [transcript, dispatch] = useReducer(reduce, EMPTY_TRANSCRIPT);
  const [connection, setConnection] = useState<SessionState>('connecting');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const session = useRef<AgentSession | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const promptId = useId();
  const hintId = useId();
  const gone = useRef(onGone);
  gone.current = onGone;

  useEffect(() => {
    let wasDown = false;
    const opened = client.openSession(agentId, {
      onEvent: (event) => dispatch({ type: 'event', event }),
      onStateChange: (state, error) => {
        setConnection(state);
        if (state === 'reconnecting') wasDown = true;
        if (state === 'open' && wasDown) {
          wasDown = false;
          // Back after an outage: errors other panels kept from it are stale now.
          void store.refresh();
        }
        if (state === 'agent-gone') gone.current?.();
        if (error) reportError(error);
      },
    });
    session.current = opened;
    return () => {
      opened.close();
      session.current = null;
    };
  }, [agentId, client, store, reportError]);

  useEffect(() => {
    if (focusOnOpen) composer.current?.focus();
  }, [focusOnOpen]);

  // Older history the snapshot left out: fetched a page at a time from the button at the top.
  const onOlderPage = useCallback((page: StepsPage) => dispatch({ type: 'older', page }), []);
  const earlier = useEarlierSteps(agentId, transcript.older, onOlderPage);

  const runs = useMemo(() => groupRuns(transcript), [transcript]);
  const running = transcript.runState === 'running';
  const open = connection === 'open';
  const canSend = open && !running;
  const readOnly = connection === 'agent-gone' || connection === 'forbidden';

  useEffect(() => {
    onRunningChange?.(running);
    // Send and Stop swap places: the one that had focus is gone, so the message box gets it.
    const active = document.activeElement;
    if (active === null || active === document.body) composer.current?.focus();
  }, [running, onRunningChange]);

  const grew =
    transcript.steps.length * 1_000_000 +
    transcript.streaming.reduce((n, s) => n + s.text.length, 0);
  const { ref: scroller, onScroll, behind, jumpToLatest } = useFollowStream(grew);

  const sendText = (prompt: string): boolean => {
    if (!prompt.trim() || !canSend) return false;
    try {
      if (session.current?.sendPrompt(prompt)) {
        setProblem(null);
        jumpToLatest();
        composer.current?.focus();
        return true;
      }
      setProblem('Not connected yet. Try again in a moment.');
    } catch (error) {
      setProblem(describeError(error));
    }
    return false;
  };

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (sendText(text)) setText('');
  };

  const stop = useCallback(async () => {
    composer.current?.focus();
    if (session.current?.stop()) return;
    try {
      await client.stopAgent(agentId);
    } catch (error) {
      reportError(error);
      setProblem(describeError(error));
    }
  }, [agentId, client, reportError]);

  // Escape stops a run, from anywhere on the page (not while a dialog is open: Escape is its).
  useEffect(() => {
    if (!running) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      void stop();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [running, stop]);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const empty = runs.length === 0;
  const notice = problem ?? (transcript.notice ? describeNotice(transcript.notice) : null);
  const hint = readOnly
    ? 'This chat is read-only.'
    : !open
      ? 'You can send once the chat is connected.'
      : running
        ? 'The agent is answering. Press Escape or Stop to interrupt it.'
        : 'Enter sends, Shift+Enter starts a new line.';

  return (
    <section className="chat" aria-label="Chat">
      <RunStatus run={transcript.runState} connection={connection} />
      <ConnectionBanner state={connection} />
      <div className="transcript" ref={scroller} onScroll={onScroll}>
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
        <div role="log" aria-live="polite" aria-label="Conversation">
          <ol className="steps">
            {runs.map((run, index) => (
              <RunBlock
                key={run.runId}
                run={run}
                latest={index === runs.length - 1}
                actions={{
                  canSend,
                  onRetry: (prompt) => sendText(prompt),
                  onFix: (field) => navigate(`${paths.settings(agentId)}?field=${field}`),
                }}
              />
            ))}
          </ol>
        </div>
      </div>
      {behind ? (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          Jump to latest ↓
        </button>
      ) : null}
      {notice ? (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button
            type="button"
            className="link"
            aria-label="Dismiss"
            onClick={() => {
              setProblem(null);
              dispatch({ type: 'dismiss' });
            }}
          >
            ×
          </button>
        </div>
      ) : null}
      <form className="composer" onSubmit={send}>
        <label htmlFor={promptId} className="visually-hidden">
          Message
        </label>
        <textarea
          id={promptId}
          ref={composer}
          rows={1}
          placeholder={readOnly ? '' : 'Message the agent…'}
          maxLength={PROMPT_MAX_LENGTH}
          value={text}
          disabled={readOnly}
          aria-describedby={hintId}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-actions">
          {running ? (
            <button type="button" className="danger" onClick={() => void stop()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!canSend || !text.trim() || readOnly}>
              Send
            </button>
          )}
        </div>
        <p id={hintId} className="composer-hint muted small">
          {hint}
        </p>
      </form>
    </section>
  );
}

function describeNotice(notice: Problem): string {
  return runErrorLine(describeRunError(notice.code, notice.retryAt));
}
