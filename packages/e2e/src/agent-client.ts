import { send } from './http-client.js';

/** What the tests need of an agent. */
export interface AgentInfo {
  readonly id: string;
  readonly name: string;
  readonly ownerUid: number;
  readonly settings: { readonly temperature: number; readonly [key: string]: unknown };
}

/**
 * Creates an agent with `token` at `base` (the gateway or the agent-service) and returns it;
 * throws with the answer when it is not 201.
 * @example const agent = await createAgent(stack.origin, tokenFor(ALICE))
 */
export async function createAgent(
  base: string,
  token: string,
  name = 'e2e agent',
): Promise<AgentInfo> {
  const res = await send(`${base}/api/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: { name, modelType: 'dev-model', settings: { tools: ['calculator'] } },
  });
  if (res.status !== 201) throw new Error(`POST /api/agents answered ${res.status}: ${res.body}`);
  return res.json<AgentInfo>();
}

/**
 * The agents `token` can see at `base`.
 * @example const names = (await listAgents(stack.origin, t)).map((a) => a.name)
 */
export async function listAgents(base: string, token: string): Promise<AgentInfo[]> {
  const res = await send(`${base}/api/agents`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /api/agents answered ${res.status}: ${res.body}`);
  return res.json<{ agents: AgentInfo[] }>().agents;
}
