import { TOOL_NAMES, type ToolName } from '@agentauth/agent-api';

/** How the web app names each tool an agent may use (settings form and transcript alike). */
export const TOOL_LABELS: Record<ToolName, string> = {
  calculator: 'Calculator',
  current_time: 'Current time',
  word_count: 'Word count',
};

/**
 * The label of a tool the model called; a name the app does not know is shown as it came.
 * @example toolLabel('word_count') // 'Word count'
 */
export function toolLabel(tool: string): string {
  return (TOOL_NAMES as readonly string[]).includes(tool) ? TOOL_LABELS[tool as ToolName] : tool;
}
