import type { RunState, ServerEvent, Step, StepsPage } from '@agentauth/agent-api';

/** Model text still streaming, keyed by the step it will become. */
export interface StreamingText {
  readonly runId: string;
  readonly seq: number;
  readonly text: string;
}

/** Why something failed, as the service said it (the UI words it for people). */
export interface Problem {
  readonly code: string;
  readonly message: string;
  /** When a refusal that can pass does (ms since the epoch), from the event's `retryAfterMs`. */
  readonly retryAt?: number;
}

/** What the chat view shows for one agent. */
export interface Transcript {
  readonly steps: readonly Step[];
  readonly streaming: readonly StreamingText[];
  readonly runState: RunState;
  readonly runId: string | undefined;
  /** Failures of runs that left no error step (e.g. an internal error), by run id. */
  readonly failures: Readonly<Record<string, Problem>>;
  /** The one refusal that belongs to no run (a prompt sent while busy); cleared by the next run. */
  readonly notice: Problem | null;
  /** Cursor of older history not shown yet (`GET /api/agents/:id/steps?before=`), if any. */
  readonly older: string | undefined;
}

export const EMPTY_TRANSCRIPT: Transcript = {
  steps: [],
  streaming: [],
  runState: 'idle',
  runId: undefined,
  failures: {},
  notice: null,
  older: undefined,
};

const sameSlot = (a: { runId: string; seq: number }, b: { runId: string; seq: number }) =>
  a.runId === b.runId && a.seq === b.seq;

/**
 * Folds one server event into the transcript. A snapshot replaces the history (it is the server's,
 * e.g. after a reconnect); deltas accumulate until the completed step replaces them. A failed run's
 * error is kept with that run, once; a new run clears the last refusal. `now` turns a refusal's
 * `retryAfterMs` into the moment it passes, which stays true however late the page shows it.
 * @example const next = applyEvent(transcript, event)
 */
export function applyEvent(state: Transcript, event: ServerEvent, now = Date.now()): Transcript {
  switch (event.type) {
    case 'snapshot':
      return {
        ...EMPTY_TRANSCRIPT,
        steps: event.steps,
        runState: event.status,
        failures: state.failures,
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
    case 'status': {
      const running = event.state === 'running';
      return {
        ...state,
        runState: event.state,
        runId: event.runId ?? state.runId,
        // The service records any partial text as a step before the run ends.
        streaming: running ? state.streaming : [],
        notice: running ? null : state.notice,
      };
    }
    case 'error': {
      // Expiry is the sign-in dialog's to say; a deleted agent is said once, by the chat view.
      if (event.code === 'ERR_TOKEN_EXPIRED' || event.code === 'ERR_NOT_FOUND') return state;
      const problem: Problem = {
        code: event.code,
        message: event.message,
        ...(event.retryAfterMs === undefined ? {} : { retryAt: now + event.retryAfterMs }),
      };
      if (event.runId === undefined) return { ...state, notice: problem };
      // A recorded error step says what failed; only the event says when to try again.
      const recorded = state.steps.some((s) => s.runId === event.runId && s.kind === 'error');
      if (recorded && problem.retryAt === undefined) return state;
      return { ...state, failures: { ...state.failures, [event.runId]: problem } };
    }
  }
}

/** Forgets the refusal the user dismissed. */
export function dismissNotice(state: Transcript): Transcript {
  return { ...state, notice: null };
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
