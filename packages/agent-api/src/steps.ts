import { z } from 'zod';

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
