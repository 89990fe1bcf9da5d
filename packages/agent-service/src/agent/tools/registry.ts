import type { ToolName } from '@agentauth/agent-api';
import type { ToolDefinition } from '../../llm/llm-client.js';
import { calculator } from './calculator.js';
import { currentTime } from './current-time.js';
import { type Tool, type ToolContext, ToolInputError } from './tool.js';
import { wordCount } from './word-count.js';

/** Every built-in tool by name; a `Record` so a new ToolName without a tool fails to compile. */
export const BUILTIN_TOOLS: Record<ToolName, Tool> = {
  calculator,
  current_time: currentTime,
  word_count: wordCount,
};

const MAX_OUTPUT = 4000;

/**
 * The OpenAI tool definitions for an agent's enabled tools.
 * @example toolDefinitions(['calculator'])[0].function.name // 'calculator'
 */
export function toolDefinitions(names: readonly ToolName[]): ToolDefinition[] {
  return names.map((name) => {
    const tool = BUILTIN_TOOLS[name];
    return {
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    };
  });
}

/**
 * Runs a tool call from the model; never throws. A tool the agent has not enabled, arguments
 * that are not a JSON object, or a tool refusing its input → `ok: false` with a message the model
 * can read and correct.
 * @example runTool(['calculator'], 'calculator', '{"expression":"6*7"}', { clock: Date.now }) // { ok: true, output: '42' }
 */
export function runTool(
  enabled: readonly ToolName[],
  name: string,
  argumentsJson: string,
  context: ToolContext,
): { ok: boolean; output: string } {
  const tool = (enabled as readonly string[]).includes(name)
    ? BUILTIN_TOOLS[name as ToolName]
    : undefined;
  if (!tool) return { ok: false, output: `Unknown tool "${name.slice(0, 64)}".` };
  let args: unknown;
  try {
    args = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch {
    return { ok: false, output: 'The tool arguments are not valid JSON.' };
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return { ok: false, output: 'The tool arguments must be a JSON object.' };
  }
  try {
    const output = tool.run(args as Record<string, unknown>, context);
    return { ok: true, output: output.slice(0, MAX_OUTPUT) };
  } catch (error) {
    if (error instanceof ToolInputError) return { ok: false, output: error.message };
    return { ok: false, output: 'The tool failed.' };
  }
}
