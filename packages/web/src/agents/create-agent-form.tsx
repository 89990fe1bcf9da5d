import { AGENT_LIMITS, type Agent, type ModelInfo } from '@agentauth/agent-api';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { useToken } from '../session/use-token.js';
import { describeError, ErrorMessage } from '../ui/error-message.js';

type Models =
  | { status: 'loading' }
  | { status: 'ready'; models: ModelInfo[] }
  | { status: 'error'; error: unknown };

/** Creates an agent; the model list comes from `GET /api/agents/models`. */
export function CreateAgentForm({
  onCreated,
  onCancel,
  autoFocus = false,
}: {
  onCreated: (agent: Agent) => void;
  /** Shown as a Cancel button when given (the form was opened with New agent). */
  onCancel?: (() => void) | undefined;
  autoFocus?: boolean;
}) {
  const { client, store, reportError } = useApp();
  const [models, setModels] = useState<Models>({ status: 'loading' });
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const nameId = useId();
  const modelId = useId();

  // A new sign-in (e.g. after the session expired) reloads the models.
  const token = useToken(client.tokens);
  const loadModels = useCallback(() => {
    setModels({ status: 'loading' });
    const controller = new AbortController();
    client.listModels({ signal: controller.signal }).then(
      (list) => {
        setModels({ status: 'ready', models: list });
        setModel((current) => current || list[0]?.id || '');
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        reportError(error);
        setModels({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [client, reportError, token]);

  useEffect(() => loadModels(), [loadModels]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setProblem('Give the agent a name.');
    if (!model) return setProblem('Choose a model.');
    setBusy(true);
    setProblem(null);
    try {
      const agent = await store.create({ name: name.trim(), modelType: model });
      setName('');
      onCreated(agent);
    } catch (error) {
      reportError(error);
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="create-agent" onSubmit={submit} aria-label="Create an agent">
      <h2>New agent</h2>
      <label htmlFor={nameId}>Name</label>
      <input
        id={nameId}
        value={name}
        maxLength={AGENT_LIMITS.nameMaxLength}
        onChange={(e) => setName(e.target.value)}
        autoComplete="off"
        // biome-ignore lint/a11y/noAutofocus: the user just asked for this form with New agent
        autoFocus={autoFocus}
      />
      <label htmlFor={modelId}>Model</label>
      {models.status === 'loading' ? (
        <p className="muted" role="status">
          Loading models…
        </p>
      ) : models.status === 'error' ? (
        <ErrorMessage
          error={models.error}
          onRetry={() => loadModels()}
          prefix="Could not load models."
        />
      ) : models.models.length === 0 ? (
        <p className="muted">The model endpoint offers no models.</p>
      ) : (
        <select id={modelId} value={model} onChange={(e) => setModel(e.target.value)}>
          {models.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
            </option>
          ))}
        </select>
      )}
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy || models.status !== 'ready'}>
          {busy ? 'Creating…' : 'Create agent'}
        </button>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
