/** The models this server offers, in OpenAI's `/v1/models` shape. */
export const DEV_MODELS = [
  { id: 'dev-model', object: 'model', created: 1_700_000_000, owned_by: 'agentauth' },
  { id: 'dev-model-large', object: 'model', created: 1_700_000_000, owned_by: 'agentauth' },
] as const;

/** The model id to use when nothing else is configured. */
export const DEFAULT_DEV_MODEL = DEV_MODELS[0].id;

/**
 * True when `id` names one of the development models.
 * @example isDevModel('dev-model') // true
 */
export function isDevModel(id: string): boolean {
  return DEV_MODELS.some((m) => m.id === id);
}
