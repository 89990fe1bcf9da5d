import type { RunState, ServerEvent, Step, StepsPage } from '@agentauth/agent-api';

/** Model text still streaming, keyed by the step it will become. */
export interface StreamingText {
  readonly runId: string;
  readonly seq: number;
  readonly text: string;
}

/** A notice from an error event (a refused frame, a failed run). */
export interface Notice {
  readonly id: number;
  readonly code: string;
  readonly message: string;
}

/** What the chat view shows for one agent. */
export interface Transcript {
  readonly steps: readonly Step[];
  readonly streaming: readonly StreamingText[];
  readonly runState: RunState;
  readonly runId: string | undefined;
  readonly notices: readonly Notice[];
  /** Cursor of older history not shown yet (`GET /api/agents/:id/steps?before=`), if any. */
  readonly older: string | undefined;
}

export const EMPTY_TRANSCRIPT: Transcript = {
  steps: [],
  streaming: [],
  runState: 'idle',
  runId: undefined,
  notices: [],
  older: undefined,
};

const sameSlot = (a: { runId: string; seq: number }, b: { runId: string; seq: number }) =>
  a.runId === b.runId && a.seq === b.seq;

/**
 * Folds one server event into the transcript. A snapshot replaces everything (it is the server's
 * history, e.g. after a reconnect); deltas accumulate until the completed step replaces them.
 * @example const next = applyEvent(transcript, event)
 */
export function applyEvent(state: Transcript, event: ServerEvent): Transcript {
  switch (event.type) {
    case 'snapshot':
      return {
        ...EMPTY_TRANSCRIPT,
        steps: event.steps,
        runState: event.status,
        notices: state.notices,
        older: event.older,
      };
    case 'step': {
      const step = event.step;
      if (step.kind === 'text_delta') {
        const current = state.streaming.find((s) => sameSlot(s, step));
        const streaming = current
          ? state.streaming.map((s) => (s === current ? { ...s, text: s.text + step.delta } : s))
          : [...state.streaming, { runId: step.runId, seq: step.seq, text: step.delta }];
        return { ...state, streaming };
      }
      const steps = state.steps.some((s) => sameSlot(s, step) && s.kind === step.kind)
        ? state.steps
        : [...state.steps, step];
      return { ...state, steps, streaming: state.streaming.filter((s) => !sameSlot(s, step)) };
    }
    case 'status':
      return {
        ...state,
        runState: event.state,
        runId: event.runId ?? state.runId,
        // A run that ended leaves no half-streamed text behind.
        streaming: event.state === 'running' ? state.streaming : [],
      };
    case 'error': {
      // The 4401 close that follows drives the sign-in dialog; a notice would only repeat it.
      if (event.code === 'ERR_TOKEN_EXPIRED') return state;
      const id = (state.notices.at(-1)?.id ?? 0) + 1;
      const notices = [...state.notices, { id, code: event.code, message: event.message }];
      return { ...state, notices: notices.slice(-5) };
    }
  }
}

/** Drops a notice the user dismissed. */
export function dismissNotice(state: Transcript, id: number): Transcript {
  return { ...state, notices: state.notices.filter((n) => n.id !== id) };
}

/**
 * Puts a page of older history (from `client.listSteps`) in front of the transcript, skipping
 * steps already shown, and remembers the next cursor.
 * @example const next = prependPage(transcript, await client.listSteps(id, { before: transcript.older }))
 */
export function prependPage(state: Transcript, page: StepsPage): Transcript {
  const fresh = page.steps.filter(
    (p) => !state.steps.some((s) => sameSlot(s, p) && s.kind === p.kind),
  );
  return { ...state, steps: [...fresh, ...state.steps], older: page.older };
}
