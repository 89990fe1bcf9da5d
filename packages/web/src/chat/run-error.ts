import type { ProtocolErrorCode } from '@agentauth/agent-api';
import { isWaitCode, waitSentence } from '../ui/retry-when.js';

/** A failure in words for people, and the setting that fixes it where there is one. */
export interface RunErrorText {
  readonly title: string;
  readonly detail: string;
  /** The settings field that fixes this failure. */
  readonly fix?: { readonly field: 'maxSteps'; readonly label: string };
}

const TEXT: Record<ProtocolErrorCode, RunErrorText> = {
  ERR_MAX_STEPS: {
    title: 'The agent ran out of steps',
    detail: 'It used every step it is allowed without reaching an answer.',
    fix: { field: 'maxSteps', label: 'Raise Max steps in Settings' },
  },
  ERR_LLM_UNAVAILABLE: {
    title: 'The language model stopped answering',
    detail: 'The model service failed or went away part-way. This is usually temporary.',
  },
  ERR_INTERNAL: {
    title: 'Something went wrong in the agent service',
    detail: 'Try again. If it keeps happening, tell your administrator.',
  },
  ERR_RUN_IN_PROGRESS: {
    title: 'The agent is still busy',
    detail: 'Wait for the current answer, or stop it, then send your message again.',
  },
  ERR_BAD_FRAME: {
    title: 'The message could not be sent',
    detail: 'This page may be out of date. Reload it and try again.',
  },
  ERR_UNSUPPORTED_VERSION: {
    title: 'The message could not be sent',
    detail: 'This page is out of date. Reload it and try again.',
  },
  ERR_TOKEN_EXPIRED: {
    title: 'Your session has expired',
    detail: 'Sign in again to continue.',
  },
  ERR_NOT_FOUND: {
    title: 'This agent no longer exists',
    detail: 'It was deleted, here or in another tab.',
  },
  ERR_RUN_INTERRUPTED: {
    title: 'The answer was interrupted',
    detail: 'The agent service restarted or lost a server part-way. What it wrote so far is kept.',
  },
  ERR_SERVICE_RESTARTING: {
    title: 'The agent service is restarting',
    detail: 'Your message was not sent. Send it again in a moment.',
  },
  ERR_RATE_LIMITED: {
    title: 'You have reached your limit for now',
    detail:
      'Each person may run only a few agents at once and start a limited number of runs a minute.',
  },
  ERR_BUDGET_EXCEEDED: {
    title: 'Your daily budget is used up',
    detail: 'You have used all the language-model tokens allowed to you today.',
  },
  ERR_MODEL_UNKNOWN: {
    title: 'This agent’s model is not available',
    detail:
      'The model it names is not offered here. Create an agent with one of the offered models.',
  },
  ERR_LLM_PROVIDER_AUTH: {
    title: 'The language model service refused this platform',
    detail: 'This is a configuration problem on the platform side. Tell your administrator.',
  },
};

const FALLBACK: RunErrorText = {
  title: 'The run failed',
  detail: 'Try again in a moment.',
};

/**
 * The words for a run's failure code; codes this page does not know get a general sentence (the
 * service's own message stays available as detail for support). A refusal that passes with time
 * ends with when it can be tried again, if the service said (`retryAt`).
 * @example describeRunError('ERR_MAX_STEPS').fix?.label // 'Raise Max steps in Settings'
 */
export function describeRunError(code: string, retryAt?: number, now = Date.now()): RunErrorText {
  const text = (TEXT as Record<string, RunErrorText | undefined>)[code];
  if (!text) return FALLBACK;
  if (!isWaitCode(code)) return text;
  return { ...text, detail: `${text.detail} ${waitSentence(code, retryAt, now)}` };
}

/**
 * A failure as one line, for the places too small for a title and a body.
 * @example runErrorLine(describeRunError('ERR_NOT_FOUND')) // 'This agent no longer exists. It was…'
 */
export const runErrorLine = (text: RunErrorText): string => `${text.title}. ${text.detail}`;
