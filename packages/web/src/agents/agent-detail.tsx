import type { Agent } from '@agentauth/agent-api';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useApp } from '../app-context.js';
import { ChatView } from '../chat/chat-view.js';
import { useGuard } from '../navigation-guard.js';
import { type AgentTab, paths } from '../routes.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { describeError } from '../ui/error-message.js';
import { SettingsForm } from './settings-form.js';

const TABS: readonly { id: AgentTab; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'settings', label: 'Settings' },
];

/**
 * One agent: its header (a way back to the list on a phone, delete with a confirmation dialog)
 * and the Chat and Settings tabs, each with its own address. An agent deleted elsewhere is said
 * once, and its controls are disabled.
 */
export function AgentDetail({
  agent,
  tab,
  gone,
  onGone,
  onDeleted,
  onRunningChange,
}: {
  agent: Agent;
  tab: AgentTab;
  /** Deleted elsewhere (another tab, another user): read-only. */
  gone: boolean;
  onGone: () => void;
  onDeleted: () => void;
  onRunningChange: (running: boolean) => void;
}) {
  const { store, reportError } = useApp();
  const { navigate } = useGuard();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const baseId = useId();
  const tabRefs = useRef<Record<AgentTab, HTMLButtonElement | null>>({
    chat: null,
    settings: null,
  });
  // The chat puts the cursor in the message box when the agent was just opened.
  const justOpened = useRef(true);
  useEffect(() => {
    justOpened.current = false;
  }, []);

  const remove = async () => {
    setDeleting(true);
    setProblem(null);
    try {
      await store.remove(agent.id);
      setConfirming(false);
      onDeleted();
    } catch (error) {
      reportError(error);
      setProblem(`Could not delete the agent. ${describeError(error)}`);
      setDeleting(false);
      setConfirming(false);
    }
  };

  const go = (next: AgentTab) =>
    navigate(next === 'chat' ? paths.chat(agent.id) : paths.settings(agent.id));

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    go(next.id);
    tabRefs.current[next.id]?.focus();
  };

  return (
    <article className="agent-detail" aria-labelledby={`${baseId}-title`}>
      <header className="agent-header">
        <a
          href={paths.home}
          className="back-to-list"
          onClick={(event) => {
            event.preventDefault();
            navigate(paths.home);
          }}
        >
          <span aria-hidden="true">←</span> Agents
        </a>
        <div className="agent-title">
          <h2 id={`${baseId}-title`}>{agent.name}</h2>
          <p className="muted small">
            {agent.modelType} · created {new Date(agent.createdAt).toLocaleDateString()}
          </p>
        </div>
        <button
          type="button"
          className="danger secondary nowrap"
          onClick={() => setConfirming(true)}
          disabled={gone}
        >
          Delete agent
        </button>
      </header>
      {gone ? (
        <p className="error" role="alert">
          This agent was deleted, here or in another tab. Its chat is read-only.
        </p>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${agent.name}”?`}
          body="Its settings and conversation are deleted for good."
          confirmLabel={deleting ? 'Deleting…' : 'Yes, delete'}
          danger
          busy={deleting}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <div role="tablist" aria-label="Agent views" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => go(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${baseId}-panel`}
        aria-labelledby={`${baseId}-tab-${tab}`}
        className="tab-panel"
      >
        {tab === 'chat' ? (
          <ChatView
            agentId={agent.id}
            focusOnOpen={justOpened.current}
            onGone={onGone}
            onRunningChange={onRunningChange}
          />
        ) : (
          <SettingsForm agentId={agent.id} disabled={gone} />
        )}
      </div>
    </article>
  );
}
