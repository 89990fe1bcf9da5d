import { z } from 'zod';
import { STEPS_PAGE_DEFAULT, STEPS_PAGE_MAX } from './protocol/limits.js';

/** What one step of a run is. */
export const STEP_KINDS = [
  'prompt',
  'model_text',
  'tool_call',
  'tool_result',
  'final_answer',
  'error',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const base = {
  /** The run (one prompt and everything it caused) this step belongs to. */
  runId: z.string().min(1),
  /** Position within the run, from 0; deltas of a model turn carry the seq of the step they build. */
  seq: z.number().int().min(0),
  /** When the step completed (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
};

/**
 * A completed step, as persisted in an agent's history and sent in snapshots and step events.
 * A model turn that ends in tool calls is `model_text`; the turn that ends the run is
 * `final_answer`. A `tool_call`'s `arguments` is the raw JSON string the model produced.
 * @example if (step.kind === 'tool_result' && !step.ok) showError(step.output)
 */
export const Step = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('prompt'), text: z.string() }),
  z.object({ ...base, kind: z.literal('model_text'), text: z.string() }),
  z.object({
    ...base,
    kind: z.literal('tool_call'),
    callId: z.string(),
    tool: z.string(),
    arguments: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('tool_result'),
    callId: z.string(),
    tool: z.string(),
    output: z.string(),
    ok: z.boolean(),
  }),
  z.object({ ...base, kind: z.literal('final_answer'), text: z.string() }),
  z.object({ ...base, kind: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type Step = z.infer<typeof Step>;

/**
 * A piece of model output, streamed as it arrives. Deltas with the same `runId` + `seq`
 * concatenate to the text of the `model_text` or `final_answer` step sent when the turn ends,
 * which then replaces them.
 */
export const TextDelta = z.object({
  kind: z.literal('text_delta'),
  runId: z.string().min(1),
  seq: z.number().int().min(0),
  delta: z.string(),
});
export type TextDelta = z.infer<typeof TextDelta>;

/**
 * An opaque position in an agent's history: pass it as `before` to `GET /api/agents/:id/steps`
 * for the steps older than the ones already shown.
 */
export const StepCursor = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'before must be a cursor from the service');
export type StepCursor = z.infer<typeof StepCursor>;

/**
 * One page of `GET /api/agents/:id/steps?before=<cursor>&limit=<n>`: steps older than `before`
 * (or the newest, without it), oldest first. `older` is the cursor for the next page, present
 * while older steps remain. A page holds at most `limit` steps and about 1 MiB of them, but
 * always at least one when any remain, so paging always moves on.
 * @example const page = StepsPage.parse(await res.json()); if (page.older) loadMore(page.older)
 */
export const StepsPage = z.object({
  steps: z.array(Step),
  older: StepCursor.optional(),
});
export type StepsPage = z.infer<typeof StepsPage>;

/**
 * The query of the steps route: `before` (a cursor, else the newest steps) and `limit`
 * (1 to `STEPS_PAGE_MAX`, default `STEPS_PAGE_DEFAULT`).
 * @example StepsQuery.parse({ before: '812', limit: '20' }) // { before: '812', limit: 20 }
 */
export const StepsQuery = z.object({
  before: StepCursor.optional(),
  limit: z.coerce
    .number('limit must be a number')
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(STEPS_PAGE_MAX, `limit must be at most ${STEPS_PAGE_MAX}`)
    .default(STEPS_PAGE_DEFAULT),
});
export type StepsQuery = z.infer<typeof StepsQuery>;
