import type { Step } from '@agentauth/agent-api';
import type { ChatMessage } from '../llm/llm-client.js';

/** How many earlier exchanges the model sees. */
export const HISTORY_RUNS = 10;

/**
 * The earlier conversation the model should see: each past run's prompt and final answer (tool
 * chatter and failed runs are left out), the last `HISTORY_RUNS` exchanges, oldest first.
 * @example conversationFrom(store.listSteps(agent.id, 500))
 */
export function conversationFrom(steps: readonly Step[]): ChatMessage[] {
  const prompts = new Map<string, string>();
  const exchanges: ChatMessage[][] = [];
  for (const step of steps) {
    if (step.kind === 'prompt') prompts.set(step.runId, step.text);
    if (step.kind === 'final_answer') {
      const prompt = prompts.get(step.runId);
      if (prompt !== undefined) {
        exchanges.push([
          { role: 'user', content: prompt },
          { role: 'assistant', content: step.text },
        ]);
      }
    }
  }
  return exchanges.slice(-HISTORY_RUNS).flat();
}
