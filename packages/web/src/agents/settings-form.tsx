import {
  type AgentSettings,
  SETTINGS_LIMITS,
  TOOL_NAMES,
  type ToolName,
  type UpdateSettingsRequest,
} from '@agentauth/agent-api';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useSearch } from 'wouter';
import { useApp } from '../app-context.js';
import { useGuard } from '../navigation-guard.js';
import { describeError, ErrorMessage } from '../ui/error-message.js';
import {
  FIELD_RANGE,
  fieldOfServerMessage,
  type SettingsField,
  settingsErrors,
} from './settings-errors.js';
import { TOOL_LABELS } from './tool-labels.js';

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; settings: AgentSettings }
  | { status: 'error'; error: unknown };

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

/**
 * Edits an agent's settings (loaded with GET, saved with PATCH of the changed keys). Each field
 * shows its allowed values and, when wrong, its own error; leaving with unsaved changes asks
 * first. `?field=maxSteps` in the address puts the cursor in that field.
 */
export function SettingsForm({
  agentId,
  disabled = false,
}: {
  agentId: string;
  disabled?: boolean;
}) {
  const { client, store, reportError } = useApp();
  const { setDirty } = useGuard();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [draft, setDraft] = useState<AgentSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [serverError, setServerError] = useState<{ field: SettingsField; text: string } | null>(
    null,
  );
  const [touched, setTouched] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const fieldRefs = useRef<Partial<Record<SettingsField, HTMLElement | null>>>({});
  const search = useSearch();
  const wanted = new URLSearchParams(search).get('field');
  const id = useId();
  const ids = {
    steps: `${id}-steps`,
    temperature: `${id}-temperature`,
    prompt: `${id}-prompt`,
  };

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

  const ready = loaded.status === 'ready' && draft !== null;
  useEffect(() => {
    if (ready && wanted === 'maxSteps') fieldRefs.current.maxSteps?.focus();
  }, [ready, wanted]);

  const patch = ready ? settingsPatch(loaded.settings, draft) : {};
  const dirty = Object.keys(patch).length > 0;
  useEffect(() => {
    setDirty(`settings:${agentId}`, dirty);
    return () => setDirty(`settings:${agentId}`, false);
  }, [agentId, dirty, setDirty]);

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

  const errors = settingsErrors(draft);
  // Only the form's own errors block saving; the service's is shown until the next edit.
  const invalid = Object.keys(errors).length > 0;
  if (serverError && !errors[serverError.field]) errors[serverError.field] = serverError.text;
  const shown = (n: number) => (Number.isNaN(n) ? '' : n);
  const update = (change: Partial<AgentSettings>) => {
    setMessage(null);
    setServerError(null);
    setTouched(true);
    setDraft({ ...draft, ...change });
  };
  const toggleTool = (tool: ToolName, on: boolean) =>
    update({ tools: on ? [...draft.tools, tool] : draft.tools.filter((t) => t !== tool) });
  const errorOf = (field: SettingsField) => (touched || serverError ? errors[field] : undefined);
  const describedBy = (field: SettingsField, base: string) =>
    errorOf(field) ? `${base}-range ${base}-error` : `${base}-range`;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || invalid) return;
    setSaving(true);
    try {
      const settings = await store.updateSettings(agentId, patch);
      setLoaded({ status: 'ready', settings });
      setDraft(settings);
      setTouched(false);
      setMessage({ kind: 'ok', text: 'Settings saved.' });
    } catch (error) {
      reportError(error);
      const placed = fieldOfServerMessage(error instanceof Error ? error.message : '');
      if (placed) {
        setServerError(placed);
        setMessage(null);
        fieldRefs.current[placed.field]?.focus();
        return;
      }
      setMessage({ kind: 'error', text: `Could not save the settings. ${describeError(error)}` });
    } finally {
      setSaving(false);
    }
    // Save is disabled once nothing is unsaved: focus goes to the confirmation, not the page.
    statusRef.current?.focus();
  };

  const fieldError = (field: SettingsField, base: string) =>
    errorOf(field) ? (
      <p id={`${base}-error`} className="field-error">
        {errorOf(field)}
      </p>
    ) : null;

  return (
    <form className="settings" onSubmit={save} aria-label="Agent settings" noValidate>
      <fieldset disabled={disabled} className="plain">
        <div className="field-row">
          <div>
            <label htmlFor={ids.steps}>Max steps</label>
            <input
              id={ids.steps}
              ref={(el) => {
                fieldRefs.current.maxSteps = el;
              }}
              type="number"
              inputMode="numeric"
              min={SETTINGS_LIMITS.maxSteps.min}
              max={SETTINGS_LIMITS.maxSteps.max}
              step={1}
              value={shown(draft.maxSteps)}
              onChange={(e) => update({ maxSteps: e.target.valueAsNumber })}
              aria-invalid={errorOf('maxSteps') !== undefined}
              aria-describedby={describedBy('maxSteps', ids.steps)}
            />
            <p id={`${ids.steps}-range`} className="muted small">
              {FIELD_RANGE.maxSteps} The most model turns one message may take.
            </p>
            {fieldError('maxSteps', ids.steps)}
          </div>
          <div>
            <label htmlFor={ids.temperature}>Temperature</label>
            <input
              id={ids.temperature}
              ref={(el) => {
                fieldRefs.current.temperature = el;
              }}
              type="number"
              min={SETTINGS_LIMITS.temperature.min}
              max={SETTINGS_LIMITS.temperature.max}
              step={0.1}
              value={shown(draft.temperature)}
              onChange={(e) => update({ temperature: e.target.valueAsNumber })}
              aria-invalid={errorOf('temperature') !== undefined}
              aria-describedby={describedBy('temperature', ids.temperature)}
            />
            <p id={`${ids.temperature}-range`} className="muted small">
              {FIELD_RANGE.temperature}
            </p>
            {fieldError('temperature', ids.temperature)}
          </div>
        </div>
        <label htmlFor={ids.prompt}>System prompt</label>
        <textarea
          id={ids.prompt}
          ref={(el) => {
            fieldRefs.current.systemPrompt = el;
          }}
          rows={5}
          value={draft.systemPrompt}
          onChange={(e) => update({ systemPrompt: e.target.value })}
          aria-invalid={errorOf('systemPrompt') !== undefined}
          aria-describedby={describedBy('systemPrompt', ids.prompt)}
        />
        <p id={`${ids.prompt}-range`} className="muted small">
          {FIELD_RANGE.systemPrompt} {draft.systemPrompt.length.toLocaleString('en')} used.
        </p>
        {fieldError('systemPrompt', ids.prompt)}
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
          <button type="submit" disabled={!dirty || saving || invalid}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!dirty || saving}
            onClick={() => {
              setDraft(loaded.settings);
              setMessage(null);
              setServerError(null);
              setTouched(false);
            }}
          >
            Reset
          </button>
          <p
            ref={statusRef}
            tabIndex={-1}
            role="status"
            className={message?.kind === 'error' ? 'field-error' : 'ok'}
          >
            {message?.text ?? (dirty && !invalid ? 'Unsaved changes.' : '')}
          </p>
        </div>
      </fieldset>
    </form>
  );
}
