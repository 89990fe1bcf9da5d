import { z } from 'zod';
import { hasNoNul } from './no-nul.js';
import { PromptFrame } from './protocol/client-frames.js';
import { AgentSettings, AgentSettingsView } from './settings.js';

export const AGENT_LIMITS = {
  nameMaxLength: 100,
  modelTypeMaxLength: 200,
} as const;

/** An agent id: a random (v4) UUID assigned by the service. */
export const AgentId = z.uuid('The agent id must be a UUID.');
export type AgentId = z.infer<typeof AgentId>;

const name = z
  .string({ error: 'name must be a string.' })
  .trim()
  .min(1, 'name must not be empty.')
  .max(AGENT_LIMITS.nameMaxLength, `name must be at most ${AGENT_LIMITS.nameMaxLength} characters.`)
  .refine(hasNoNul, 'name must not contain NUL characters.');

/** The model name as the LLM endpoint knows it (see `GET /api/agents/models`). */
const modelType = z
  .string({ error: 'modelType must be a string.' })
  .trim()
  .min(1, 'modelType must not be empty.')
  .max(
    AGENT_LIMITS.modelTypeMaxLength,
    `modelType must be at most ${AGENT_LIMITS.modelTypeMaxLength} characters.`,
  )
  .refine(hasNoNul, 'modelType must not contain NUL characters.');

const timestamp = z.iso.datetime({ offset: true });

/**
 * An agent as the service returns it. `ownerUid` is the platform user id of its creator.
 * Answers are parsed leniently: fields a newer service adds are dropped, not refused.
 * @example const agent = Agent.parse(await res.json())
 */
export const Agent = z.object({
  id: AgentId,
  name,
  modelType,
  ownerUid: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
  settings: AgentSettingsView,
  /** List answers only: whether the agent is running a prompt right now (the sidebar's marker). */
  running: z.boolean().optional(),
});
export type Agent = z.infer<typeof Agent>;

/**
 * Body of `POST /api/agents`. Settings left out take `DEFAULT_SETTINGS`.
 * @example CreateAgentRequest.parse({ name: 'helper', modelType: 'dev-model' })
 */
export const CreateAgentRequest = z.strictObject({
  name,
  modelType,
  settings: AgentSettings.partial().optional(),
});
export type CreateAgentRequest = z.input<typeof CreateAgentRequest>;

/**
 * Who may reach which agent (`AGENT_ACCESS_POLICY`): `shared` = every user sees and runs every
 * agent (the brief's Phase 1); `owner` = each user their own, an ADMIN all.
 */
export const ACCESS_MODES = ['shared', 'owner'] as const;
export const AccessMode = z.enum(ACCESS_MODES);
export type AccessMode = z.infer<typeof AccessMode>;

/**
 * Body of `GET /api/agents`: the agents the caller may read, and the policy that chose them
 * (absent from an older service: taken as `shared`).
 */
export const AgentListResponse = z.object({
  agents: z.array(Agent),
  access: AccessMode.default('shared'),
});
export type AgentListResponse = z.infer<typeof AgentListResponse>;

/**
 * Body of `POST /api/agents/:id/prompt`: starts a run as a WebSocket prompt frame does (its events
 * go to the agent's sockets). Refused with 409 while one runs, 429 past a per-user limit.
 * @example PromptRequest.parse({ text: 'What is 6*7?' })
 */
export const PromptRequest = z.strictObject({ text: PromptFrame.shape.text });
export type PromptRequest = z.infer<typeof PromptRequest>;

/** Answer (202) of `POST /api/agents/:id/prompt`. */
export const PromptResponse = z.object({ runId: z.string().min(1) });
export type PromptResponse = z.infer<typeof PromptResponse>;

/** Body of `POST /api/agents/:id/stop`: whether a run was actually interrupted. */
export const StopResponse = z.object({ stopped: z.boolean() });
export type StopResponse = z.infer<typeof StopResponse>;
