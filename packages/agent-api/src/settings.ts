import { z } from 'zod';
import { hasNoNul } from './no-nul.js';

/** Built-in tools the agent-service can run for an agent; no tool touches the network or disk. */
export const TOOL_NAMES = ['calculator', 'current_time', 'word_count'] as const;

export const ToolName = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolName>;

/** Bounds shared by the schema, the service and the UI (sliders, counters). */
export const SETTINGS_LIMITS = {
  maxSteps: { min: 1, max: 50 },
  temperature: { min: 0, max: 2 },
  systemPromptMaxLength: 8000,
} as const;

/** Settings a new agent gets for every key its creator leaves out. */
export const DEFAULT_SETTINGS = {
  maxSteps: 8,
  temperature: 0.2,
  systemPrompt:
    'You are a helpful assistant. Use the available tools when they help, then give a short final answer.',
  tools: [...TOOL_NAMES],
} as const satisfies {
  maxSteps: number;
  temperature: number;
  systemPrompt: string;
  tools: ToolName[];
};

const maxSteps = z
  .number({ error: 'maxSteps must be a number.' })
  .int('maxSteps must be a whole number.')
  .min(SETTINGS_LIMITS.maxSteps.min, `maxSteps must be at least ${SETTINGS_LIMITS.maxSteps.min}.`)
  .max(SETTINGS_LIMITS.maxSteps.max, `maxSteps must be at most ${SETTINGS_LIMITS.maxSteps.max}.`);

const temperature = z
  .number({ error: 'temperature must be a number.' })
  .min(
    SETTINGS_LIMITS.temperature.min,
    `temperature must be at least ${SETTINGS_LIMITS.temperature.min}.`,
  )
  .max(
    SETTINGS_LIMITS.temperature.max,
    `temperature must be at most ${SETTINGS_LIMITS.temperature.max}.`,
  );

const systemPrompt = z
  .string({ error: 'systemPrompt must be a string.' })
  .max(
    SETTINGS_LIMITS.systemPromptMaxLength,
    `systemPrompt must be at most ${SETTINGS_LIMITS.systemPromptMaxLength} characters.`,
  )
  .refine(hasNoNul, 'systemPrompt must not contain NUL characters.');

const tools = z
  .array(ToolName, { error: `tools must be a list of: ${TOOL_NAMES.join(', ')}.` })
  .refine((list) => new Set(list).size === list.length, 'tools must not repeat a tool.');

/**
 * An agent's tunable settings.
 * @example AgentSettings.parse({ maxSteps: 8, temperature: 0.2, systemPrompt: '', tools: [] })
 */
export const AgentSettings = z.strictObject({ maxSteps, temperature, systemPrompt, tools });

/** The same fields, but tolerant of keys a newer service may add (for parsing answers). */
export const AgentSettingsView = z.object(AgentSettings.shape);
export type AgentSettings = z.infer<typeof AgentSettings>;

/**
 * A partial settings change: only the keys sent change; unknown keys are refused, and an empty
 * change is refused too (it is almost always a client bug).
 * @example UpdateSettingsRequest.parse({ temperature: 1 })
 */
export const UpdateSettingsRequest = AgentSettings.partial().refine(
  (patch) => Object.keys(patch).length > 0,
  'Send at least one setting to change.',
);
export type UpdateSettingsRequest = z.infer<typeof UpdateSettingsRequest>;
