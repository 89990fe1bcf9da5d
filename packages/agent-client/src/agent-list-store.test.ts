import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAgentService, startFakeAgentService } from '../test/fake-agent-service.js';
import { createAgentClient } from './agent-client.js';
import { type AgentListStore, createAgentListStore } from './agent-list-store.js';
import { ForbiddenError, NetworkError, SessionExpiredError } from './errors.js';
import {
  createTokenStore,
  memoryStorage,
  TOKEN_STORAGE_KEY,
  type TokenStore,
} from './token-store.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';

let service: FakeAgentService;
let tokens: TokenStore;
let store: AgentListStore;

beforeEach(async () => {
  service = await startFakeAgentService();
  service.tokens.allowed.add(TOKEN);
  tokens = createTokenStore({ storage: memoryStorage({ [TOKEN_STORAGE_KEY]: TOKEN }) });
  const client = createAgentClient({
    baseUrl: service.baseUrl,
    tokens,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  store = createAgentListStore(client);
});
afterEach(() => service.close());

describe('createAgentListStore', () => {
  it('loads the list and tells "empty" from "not loaded yet"', async () => {
    expect(store.getState()).toMatchObject({ agents: [], loaded: false, status: 'idle' });
    await store.refresh();
    expect(store.getState()).toMatchObject({ agents: [], loaded: true, status: 'ready' });
  });

  it.each([
    ['an expired session (401)', () => tokens.set('eyJ.expired.x'), SessionExpiredError],
    ['a forbidden role (403)', () => service.failNext(403, {}), ForbiddenError],
    ['a server error (500)', () => service.failNext(500, {}), Error],
    ['a network failure', () => service.close(), NetworkError],
  ])('keeps every known agent when a refresh fails with %s', async (_, breakIt, type) => {
    const a = service.addAgent('first');
    const b = service.addAgent('second');
    await store.refresh();
    expect(store.getState().agents).toEqual([a, b]);
    await breakIt();
    await store.refresh();
    const state = store.getState();
    expect(state.agents).toEqual([a, b]);
    expect(state.status).toBe('error');
    expect(state.error).toBeInstanceOf(type);
  });

  it('clears the error once a refresh succeeds again', async () => {
    service.failNext(500, {});
    await store.refresh();
    expect(store.getState().error).not.toBeNull();
    await store.refresh();
    expect(store.getState()).toMatchObject({ status: 'ready', error: null });
  });

  it('removes an agent only after the server confirmed the delete', async () => {
    const a = service.addAgent('keep me');
    await store.refresh();
    tokens.set('eyJ.expired.x');
    await expect(store.remove(a.id)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(store.getState().agents).toEqual([a]);
    tokens.set(TOKEN);
    await store.remove(a.id);
    expect(store.getState().agents).toEqual([]);
  });

  it('adds a created agent as the server returned it', async () => {
    const agent = await store.create({ name: 'new one', modelType: 'dev-model' });
    expect(store.getState().agents).toEqual([agent]);
  });

  it('stores the settings the server confirmed, and nothing on failure', async () => {
    const a = service.addAgent('tune me');
    await store.refresh();
    await store.updateSettings(a.id, { maxSteps: 3 });
    expect(store.getState().agents[0]?.settings.maxSteps).toBe(3);
    service.failNext(400, { error: { code: 'ERR_BAD_REQUEST', message: 'no' } });
    await expect(store.updateSettings(a.id, { maxSteps: 9 })).rejects.toThrow('no');
    expect(store.getState().agents[0]?.settings.maxSteps).toBe(3);
  });

  it('notifies subscribers with a new state object on every change', async () => {
    const seen: unknown[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getState()));
    await store.refresh();
    unsubscribe();
    await store.refresh();
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });
});
