import type { IncomingMessage, ServerResponse } from 'node:http';
import { deny, type TokenVerifier } from '@agentauth/auth-core';
import { requestIdOf } from '@agentauth/service-runtime';
import type { Logger } from 'pino';
import { answerAllow, answerDeny } from './answer.js';
import { type Decision, type DecisionInput, decide } from './decide.js';
import type { DecisionMetrics } from './metrics.js';
import { hasBody, readBody } from './read-body.js';

export interface AuthorizeDeps {
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  readonly metrics: DecisionMetrics;
  /** Monotonic milliseconds, for the latency histogram. */
  readonly clock: () => number;
  readonly bodyLimit: number;
  readonly bodyTimeoutMs: number;
}

/**
 * The `/api/auth` handler for both gateway shapes: reads a body only when one is announced,
 * decides, answers 200/401/403, counts the decision and logs one line for it (method, canonical
 * path, shape, status, code, uid: never the query, the raw target or the token).
 * @example const authorize = createAuthorize(deps); authorize(req, res)
 */
export function createAuthorize(deps: AuthorizeDeps) {
  const { verifier, logger, metrics, clock, bodyLimit, bodyTimeoutMs } = deps;

  const finish = (
    req: IncomingMessage,
    res: ServerResponse,
    decision: Decision,
    started: number,
  ) => {
    if (decision.allow) answerAllow(res, decision.user);
    else answerDeny(res, decision.code);
    metrics.record(decision, (clock() - started) / 1000);
    if (decision.failure !== undefined) {
      logger.error(
        { ...fields(req, decision), err: describeFailure(decision.failure) },
        'decision failed unexpectedly; denied',
      );
    } else {
      logger.info(fields(req, decision), 'decision');
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = clock();
    let decision: Decision;
    try {
      const input: DecisionInput = {
        method: req.method ?? 'GET',
        target: req.url ?? '',
        headers: withEveryAuthorization(req),
        body: hasBody(req) ? await readBody(req, bodyLimit, bodyTimeoutMs) : undefined,
      };
      decision = await decide(verifier, input);
    } catch (failure) {
      decision = {
        ...deny('ERR_TOKEN_MALFORMED'),
        shape: 'envoy',
        method: req.method,
        path: undefined,
        failure,
      };
    }
    // A body left unread (stalled or too large) would keep the connection busy: close it after
    // the answer instead of waiting for the rest.
    if (!req.complete) res.setHeader('connection', 'close');
    try {
      finish(req, res, decision, started);
    } catch (failure) {
      // Answering itself failed (e.g. the socket is gone); make sure nothing is left half-open.
      if (!res.headersSent) answerDeny(res, 'ERR_TOKEN_MALFORMED');
      logger.error({ err: describeFailure(failure) }, 'answering a decision failed');
    }
  };
}

function fields(req: IncomingMessage, decision: Decision) {
  return {
    requestId: requestIdOf(req.headers),
    method: decision.method,
    path: decision.path,
    shape: decision.shape,
    status: decision.allow ? 200 : decision.status,
    code: decision.allow ? undefined : decision.code,
    uid: decision.allow ? decision.user.uid : undefined,
  };
}

/**
 * An error's type and stack frames without its message line: messages of parsers and crypto
 * libraries can quote their input, and that input may be a token.
 */
export function describeFailure(failure: unknown): { type: string; frames?: string } {
  if (!(failure instanceof Error)) return { type: typeof failure };
  const stack = failure.stack ?? '';
  const firstFrame = stack.indexOf('\n    at ');
  return firstFrame < 0
    ? { type: failure.name }
    : { type: failure.name, frames: stack.slice(firstFrame + 1) };
}

/**
 * Node keeps only the first of several `Authorization` headers; the auth core must see all of
 * them to refuse two different tokens, so repeated ones are passed on as a list.
 */
function withEveryAuthorization(req: IncomingMessage): DecisionInput['headers'] {
  const raw = req.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') seen++;
  }
  if (seen < 2) return req.headers;
  return { ...req.headers, authorization: req.headersDistinct.authorization };
}
