import type { ToolName } from '@agentauth/agent-api';

export interface ToolContext {
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
}

/** A built-in tool: pure, fast, no network and no disk. */
export interface Tool {
  readonly name: ToolName;
  readonly description: string;
  /** JSON Schema of the arguments object, as offered to the model. */
  readonly parameters: Record<string, unknown>;
  /** Returns the tool's output text; throws ToolInputError on bad arguments. */
  run(args: Record<string, unknown>, context: ToolContext): string;
}

/** The model passed arguments the tool cannot use; the message goes back to the model. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}
