import { AgentSettings, SETTINGS_LIMITS } from '@agentauth/agent-api';

/** A settings field the form shows. */
export type SettingsField = keyof AgentSettings;

const { maxSteps, temperature, systemPromptMaxLength } = SETTINGS_LIMITS;

/** Each field's allowed values, in words (shown under the field, and in its error). */
export const FIELD_RANGE: Record<SettingsField, string> = {
  maxSteps: `A whole number from ${maxSteps.min} to ${maxSteps.max}.`,
  temperature: `A number from ${temperature.min} to ${temperature.max}; higher gives more varied answers.`,
  systemPrompt: `Up to ${systemPromptMaxLength.toLocaleString('en')} characters.`,
  tools: 'The built-in tools the agent may use.',
};

const FIELD_ERROR: Record<SettingsField, string> = {
  maxSteps: `Max steps must be a whole number from ${maxSteps.min} to ${maxSteps.max}.`,
  temperature: `Temperature must be a number from ${temperature.min} to ${temperature.max}.`,
  systemPrompt: `The system prompt can be at most ${systemPromptMaxLength.toLocaleString('en')} characters long.`,
  tools: 'Choose each tool at most once.',
};

const FIELDS = Object.keys(FIELD_ERROR) as SettingsField[];
const isField = (key: unknown): key is SettingsField =>
  typeof key === 'string' && (FIELDS as string[]).includes(key);

/**
 * Every invalid field of a draft, each with one sentence in words (checked with the same schema
 * the service applies, so most mistakes are caught before a round trip).
 * @example settingsErrors({ ...draft, maxSteps: 99 }) // { maxSteps: 'Max steps must be a whole number from 1 to 50.' }
 */
export function settingsErrors(draft: AgentSettings): Partial<Record<SettingsField, string>> {
  const checked = AgentSettings.safeParse(draft);
  if (checked.success) return {};
  const errors: Partial<Record<SettingsField, string>> = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (isField(field)) errors[field] = FIELD_ERROR[field];
  }
  return errors;
}

/**
 * A refusal from the service ("maxSteps must be at most 50."), placed on its field in words;
 * `null` when it names no field.
 * @example fieldOfServerMessage('maxSteps must be at most 50.') // { field: 'maxSteps', text: 'Max steps must be …' }
 */
export function fieldOfServerMessage(
  message: string,
): { field: SettingsField; text: string } | null {
  const field = /^(\w+)\b/.exec(message)?.[1];
  return isField(field) ? { field, text: FIELD_ERROR[field] } : null;
}
