import { z } from 'zod';

/**
 * One model the configured LLM endpoint offers.
 * @example ModelInfo.parse({ id: 'dev-model', ownedBy: 'agentauth' })
 */
export const ModelInfo = z.object({
  id: z.string().min(1),
  ownedBy: z.string().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

/** Body of `GET /api/agents/models`. */
export const ModelListResponse = z.object({ models: z.array(ModelInfo) });
export type ModelListResponse = z.infer<typeof ModelListResponse>;
