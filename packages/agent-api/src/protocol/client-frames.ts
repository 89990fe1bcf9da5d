import { z } from 'zod';
import { hasNoNul } from '../no-nul.js';
import { PROMPT_MAX_LENGTH } from './limits.js';
import { PROTOCOL_VERSION } from './version.js';

const v = z.literal(PROTOCOL_VERSION);

/**
 * Starts a run. Refused with `ERR_RUN_IN_PROGRESS` while the agent already runs one.
 * @example ws.send(JSON.stringify({ v: 1, type: 'prompt', text: 'What is 6*7?' }))
 */
export const PromptFrame = z.strictObject({
  v,
  type: z.literal('prompt'),
  text: z
    .string({ error: 'text must be a string.' })
    .trim()
    .min(1, 'text must not be empty.')
    .max(PROMPT_MAX_LENGTH, `text must be at most ${PROMPT_MAX_LENGTH} characters.`)
    .refine(hasNoNul, 'text must not contain NUL characters.'),
});
export type PromptFrame = z.infer<typeof PromptFrame>;

/**
 * Interrupts the agent's running prompt (a no-op when idle).
 * @example ws.send(JSON.stringify({ v: 1, type: 'stop' }))
 */
export const StopFrame = z.strictObject({ v, type: z.literal('stop') });
export type StopFrame = z.infer<typeof StopFrame>;

/** Every frame a client may send. */
export const ClientFrame = z.discriminatedUnion('type', [PromptFrame, StopFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const CLIENT_FRAME_TYPES = ['prompt', 'stop'] as const;
