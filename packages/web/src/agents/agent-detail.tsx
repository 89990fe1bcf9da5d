import type { Agent } from '@agentauth/agent-api';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { useApp } from '../app-context.js';
import { ChatView } from '../chat/chat-view.js';
import { describeError } from '../ui/error-message.js';
import { SettingsForm } from './settings-form.js';

const TABS = [
  { id: 'chat', label: 'Chat' },
  { id: 'settings', label: 'Settings' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** One agent: its header with delete, and the chat and settings tabs. */
export function AgentDetail({ agent, onDeleted }: { agent: Agent; onDeleted: () => void }) {
  const { store, reportError } = useApp();
  const [tab, setTab] = useState<Tab>('chat');
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const baseId = useId();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ chat: null, settings: null });

  const remove = async () => {
    setDeleting(true);
    setProblem(null);
    try {
      await store.remove(agent.id);
      onDeleted();
    } catch (error) {
      reportError(error);
      setProblem(`Could not delete the agent. ${describeError(error)}`);
      setDeleting(false);
      setConfirming(false);
    }
  };

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    setTab(next.id);
    tabRefs.current[next.id]?.focus();
  };

  return (
    <article className="agent-detail" aria-labelledby={`${baseId}-title`}>
      <header className="agent-header">
        <div>
          <h2 id={`${baseId}-title`}>{agent.name}</h2>
          <p className="muted small">
            Model {agent.modelType} · created {new Date(agent.createdAt).toLocaleString()}
          </p>
        </div>
        {confirming ? (
          <fieldset className="confirm">
            <legend>Delete “{agent.name}” and its history?</legend>
            <button type="button" className="danger" onClick={remove} disabled={deleting}>
              {deleting ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </fieldset>
        ) : (
          <button type="button" className="danger secondary" onClick={() => setConfirming(true)}>
            Delete agent
          </button>
        )}
      </header>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
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
            aria-controls={`${baseId}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${baseId}-panel-${tab}`}
        aria-labelledby={`${baseId}-tab-${tab}`}
        className="tab-panel"
      >
        {tab === 'chat' ? (
          <ChatView key={agent.id} agentId={agent.id} />
        ) : (
          <SettingsForm key={agent.id} agentId={agent.id} />
        )}
      </div>
    </article>
  );
}
