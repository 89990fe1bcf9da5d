import type { Agent, AgentSettings } from '@agentauth/agent-api';
import type { Stack } from './stack.js';

/**
 * Creates an agent through the gateway, as the app would (set-up for scenarios that are not about
 * creating agents).
 * @example await createAgent(stack, token, 'helper', { tools: [] })
 */
export async function createAgent(
  stack: Stack,
  token: string,
  name: string,
  settings: Partial<AgentSettings> = {},
): Promise<Agent> {
  const res = await fetch(`${stack.baseUrl}/api/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, modelType: 'dev-model', settings }),
  });
  if (res.status !== 201) throw new Error(`creating ${name} answered ${res.status}`);
  return (await res.json()) as Agent;
}

/** Deletes an agent through the gateway (as another tab would). */
export async function deleteAgent(stack: Stack, token: string, id: string): Promise<void> {
  const res = await fetch(`${stack.baseUrl}/api/agents/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 204) throw new Error(`deleting ${id} answered ${res.status}`);
}
