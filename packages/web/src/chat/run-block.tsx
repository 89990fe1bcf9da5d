import { Timestamp } from '../ui/timestamp.js';
import { Markdown } from './markdown.js';
import { describeRunError, runErrorLine } from './run-error.js';
import type { RunItem, RunView } from './runs.js';
import { ToolStep } from './tool-step.js';

export interface RunActions {
  /** Sends the run's prompt again. */
  readonly onRetry: (prompt: string) => void;
  /** Opens the settings at the field that fixes the failure. */
  readonly onFix: (field: 'maxSteps') => void;
  /** Whether a new prompt can be sent now (connected, nothing running). */
  readonly canSend: boolean;
}

interface RunProps {
  readonly run: RunView;
  /** The newest run: its failure gets the full card with actions. */
  readonly latest: boolean;
  readonly actions: RunActions;
}

/**
 * One run in the transcript: the prompt, the agent's text (markdown) and tool steps, then how it
 * ended when that is not a plain answer: "Stopped", or one error in words with Retry and the
 * setting that fixes it (only on the newest run; an older failure stays as a short note).
 */
export function RunBlock({ run, latest, actions }: RunProps) {
  const interrupted = run.items.some((i) => i.kind === 'text' && i.interrupted);
  return (
    <>
      {run.items.map((item) => (
        <Item key={keyOf(item)} item={item} />
      ))}
      {run.outcome === 'stopped' ? (
        <li className="run-end stopped">
          {interrupted ? 'Stopped before the answer was finished.' : 'Stopped.'}
        </li>
      ) : null}
      {run.outcome === 'failed' ? <RunFailure run={run} latest={latest} actions={actions} /> : null}
    </>
  );
}

function RunFailure({ run, latest, actions }: RunProps) {
  const text = describeRunError(run.error?.code ?? '', run.error?.retryAt);
  if (!latest) {
    return <li className="run-end failed">{runErrorLine(text)}</li>;
  }
  const prompt = run.prompt;
  return (
    <li className="run-failure">
      <div role="alert">
        <p className="run-failure-title">{text.title}</p>
        <p>{text.detail}</p>
      </div>
      <div className="run-failure-actions">
        {prompt ? (
          <button
            type="button"
            className="secondary"
            disabled={!actions.canSend}
            onClick={() => actions.onRetry(prompt)}
          >
            Retry
          </button>
        ) : null}
        {text.fix ? (
          <button type="button" className="link" onClick={() => actions.onFix('maxSteps')}>
            {text.fix.label}
          </button>
        ) : null}
      </div>
    </li>
  );
}

function keyOf(item: RunItem): string {
  switch (item.kind) {
    case 'prompt':
    case 'text':
      return `${item.step.seq}:${item.step.kind}`;
    case 'tool':
      return `${item.call.seq}:tool`;
    case 'streaming':
      return `${item.text.seq}:stream`;
  }
}

function Item({ item }: { item: RunItem }) {
  switch (item.kind) {
    case 'prompt':
      return (
        <li className="step prompt">
          <p className="step-head">
            <span className="step-label">You</span> <Timestamp at={item.step.at} />
          </p>
          <p className="prompt-text">{item.step.text}</p>
        </li>
      );
    case 'text':
      return (
        <li className={`step ${item.step.kind === 'final_answer' ? 'final-answer' : 'model-text'}`}>
          <p className="step-head">
            <span className="step-label">Agent</span> <Timestamp at={item.step.at} />
            {item.interrupted ? <span className="badge interrupted">Interrupted</span> : null}
          </p>
          <Markdown text={item.step.text} />
        </li>
      );
    case 'tool':
      return <ToolStep use={item} />;
    case 'streaming':
      return (
        <li className="step streaming" aria-busy="true">
          <p className="step-head">
            <span className="step-label">Agent is writing…</span>
          </p>
          <Markdown text={item.text.text} />
        </li>
      );
  }
}
