import type {
  AccessMode,
  Agent,
  AgentSettings,
  CreateAgentRequest,
  UpdateSettingsRequest,
} from '@agentauth/agent-api';
import type { AgentClient } from './agent-client.js';
import { type AgentClientError, InvalidResponseError, isAgentClientError } from './errors.js';

/** A snapshot of the user's agents; replaced (never mutated) on every change. */
export interface AgentListState {
  /** The last list the server confirmed, plus confirmed local changes. Never emptied by a failure. */
  readonly agents: readonly Agent[];
  /** `loading` also while refreshing a list that is already shown. */
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the last refresh failed; `agents` still holds the previous list. */
  readonly error: AgentClientError | null;
  /** Whether a list has ever been loaded (tells "empty" from "not loaded yet"). */
  readonly loaded: boolean;
  /** The service's access policy, once a list was loaded: `shared` = every user sees every agent. */
  readonly access: AccessMode | null;
}

/** The agent list behind the UI, with the reference frontend's sync bug fixed by construction. */
export interface AgentListStore {
  getState(): AgentListState;
  subscribe(listener: () => void): () => void;
  /** Reloads the list; on failure keeps the previous list and records the error. */
  refresh(): Promise<void>;
  /** Creates on the server, then adds the confirmed agent. Throws the client error on failure. */
  create(input: CreateAgentRequest): Promise<Agent>;
  /** Deletes on the server, then removes it locally. On failure nothing is removed. */
  remove(id: string): Promise<void>;
  /** Sends a settings change, then stores the settings the server confirmed. */
  updateSettings(id: string, patch: UpdateSettingsRequest): Promise<AgentSettings>;
}

/**
 * Creates the list store. Local state only ever changes after the server confirmed a change:
 * a failed list, create, delete or settings update leaves every known agent in place.
 * @example
 * const store = createAgentListStore(client);
 * await store.refresh(); store.getState().agents
 */
export function createAgentListStore(client: AgentClient): AgentListStore {
  let state: AgentListState = {
    agents: [],
    status: 'idle',
    error: null,
    loaded: false,
    access: null,
  };
  const listeners = new Set<() => void>();
  let generation = 0;

  const update = (patch: Partial<AgentListState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  const mapAgents = (fn: (agents: readonly Agent[]) => readonly Agent[]) =>
    update({ agents: fn(state.agents) });

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async refresh() {
      const mine = ++generation;
      update({ status: 'loading' });
      try {
        const { agents, access } = await client.listAgentsWithAccess();
        // A slower, older refresh must not overwrite a newer answer.
        if (mine === generation) {
          update({ agents, access, status: 'ready', error: null, loaded: true });
        }
      } catch (error) {
        if (mine === generation) update({ status: 'error', error: asClientError(error) });
      }
    },
    async create(input) {
      const agent = await client.createAgent(input);
      mapAgents((agents) => [...agents.filter((a) => a.id !== agent.id), agent]);
      return agent;
    },
    async remove(id) {
      await client.deleteAgent(id);
      mapAgents((agents) => agents.filter((a) => a.id !== id));
    },
    async updateSettings(id, patch) {
      const settings = await client.updateSettings(id, patch);
      mapAgents((agents) => agents.map((a) => (a.id === id ? { ...a, settings } : a)));
      return settings;
    },
  };
}

function asClientError(error: unknown): AgentClientError {
  return isAgentClientError(error) ? error : new InvalidResponseError('answer', error);
}
