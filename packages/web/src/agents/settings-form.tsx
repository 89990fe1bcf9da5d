import {
  AgentSettings,
  formatZodError,
  SETTINGS_LIMITS,
  TOOL_NAMES,
  type ToolName,
  type UpdateSettingsRequest,
} from '@agentauth/agent-api';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { describeError, ErrorMessage } from '../ui/error-message.js';

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; settings: AgentSettings }
  | { status: 'error'; error: unknown };

const TOOL_LABELS: Record<ToolName, string> = {
  calculator: 'Calculator',
  current_time: 'Current time',
  word_count: 'Word count',
};

/** Only the keys that changed: PATCH is a partial update, and an empty one is refused. */
export function settingsPatch(before: AgentSettings, after: AgentSettings): UpdateSettingsRequest {
  const patch: UpdateSettingsRequest = {};
  if (after.maxSteps !== before.maxSteps) patch.maxSteps = after.maxSteps;
  if (after.temperature !== before.temperature) patch.temperature = after.temperature;
  if (after.systemPrompt !== before.systemPrompt) patch.systemPrompt = after.systemPrompt;
  const sameTools =
    after.tools.length === before.tools.length &&
    after.tools.every((t) => before.tools.includes(t));
  if (!sameTools) patch.tools = after.tools;
  return patch;
}

/** Edits an agent's settings (loaded with GET, saved with PATCH of the changed keys). */
export function SettingsForm({ agentId }: { agentId: string }) {
  const { client, store, reportError } = useApp();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [draft, setDraft] = useState<AgentSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const ids = { steps: useId(), temperature: useId(), prompt: useId(), tools: useId() };

  const load = useCallback(() => {
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    client.getSettings(agentId, { signal: controller.signal }).then(
      (settings) => {
        setLoaded({ status: 'ready', settings });
        setDraft(settings);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        reportError(error);
        setLoaded({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [agentId, client, reportError]);

  useEffect(() => load(), [load]);

  if (loaded.status === 'loading' || (loaded.status === 'ready' && draft === null)) {
    return (
      <p className="muted" role="status">
        Loading settings…
      </p>
    );
  }
  if (loaded.status === 'error' || draft === null) {
    const error = loaded.status === 'error' ? loaded.error : null;
    return <ErrorMessage error={error} onRetry={load} prefix="Could not load the settings." />;
  }

  const patch = settingsPatch(loaded.settings, draft);
  const dirty = Object.keys(patch).length > 0;
  // The same schema the service applies, so most mistakes are explained before a round trip.
  const checked = AgentSettings.safeParse(draft);
  const invalid = checked.success ? null : formatZodError(checked.error);
  const shown = (n: number) => (Number.isNaN(n) ? '' : n);
  const update = (change: Partial<AgentSettings>) => {
    setMessage(null);
    setDraft({ ...draft, ...change });
  };
  const toggleTool = (tool: ToolName, on: boolean) =>
    update({ tools: on ? [...draft.tools, tool] : draft.tools.filter((t) => t !== tool) });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || invalid) return;
    setSaving(true);
    try {
      const settings = await store.updateSettings(agentId, patch);
      setLoaded({ status: 'ready', settings });
      setDraft(settings);
      setMessage({ kind: 'ok', text: 'Settings saved.' });
    } catch (error) {
      reportError(error);
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="settings" onSubmit={save} aria-label="Agent settings">
      <div className="field-row">
        <div>
          <label htmlFor={ids.steps}>Max steps</label>
          <input
            id={ids.steps}
            type="number"
            inputMode="numeric"
            min={SETTINGS_LIMITS.maxSteps.min}
            max={SETTINGS_LIMITS.maxSteps.max}
            step={1}
            value={shown(draft.maxSteps)}
            onChange={(e) => update({ maxSteps: e.target.valueAsNumber })}
            required
          />
        </div>
        <div>
          <label htmlFor={ids.temperature}>Temperature</label>
          <input
            id={ids.temperature}
            type="number"
            min={SETTINGS_LIMITS.temperature.min}
            max={SETTINGS_LIMITS.temperature.max}
            step={0.1}
            value={shown(draft.temperature)}
            onChange={(e) => update({ temperature: e.target.valueAsNumber })}
            required
          />
        </div>
      </div>
      <label htmlFor={ids.prompt}>System prompt</label>
      <textarea
        id={ids.prompt}
        rows={5}
        maxLength={SETTINGS_LIMITS.systemPromptMaxLength}
        value={draft.systemPrompt}
        onChange={(e) => update({ systemPrompt: e.target.value })}
      />
      <fieldset>
        <legend>Tools</legend>
        {TOOL_NAMES.map((tool) => (
          <label key={tool} className="checkbox">
            <input
              type="checkbox"
              checked={draft.tools.includes(tool)}
              onChange={(e) => toggleTool(tool, e.target.checked)}
            />
            {TOOL_LABELS[tool]}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={!dirty || saving || invalid !== null}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!dirty || saving}
          onClick={() => {
            setDraft(loaded.settings);
            setMessage(null);
          }}
        >
          Reset
        </button>
        <span role="status" className={message?.kind === 'error' || invalid ? 'field-error' : 'ok'}>
          {invalid && dirty ? invalid : (message?.text ?? '')}
        </span>
      </div>
    </form>
  );
}
