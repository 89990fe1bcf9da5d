import { AgentSettings, DEFAULT_SETTINGS } from '@agentauth/agent-api';

/**
 * Settings as a store read them back. Settings written by an older version may lack newer keys:
 * the defaults fill them in, so both stores read old rows the same way.
 * @example const settings = storedSettings(JSON.parse(row.settings))
 */
export function storedSettings(value: unknown): AgentSettings {
  const stored = value !== null && typeof value === 'object' ? value : {};
  return AgentSettings.parse({ ...DEFAULT_SETTINGS, ...stored });
}
