import { formatZodError } from '@agentauth/agent-api';
import { TOKEN_BODY_FIELD } from '@agentauth/auth-core';
import express, { type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { sendError } from './send-error.js';

/** Largest JSON body accepted (settings with a full system prompt fit easily). */
export const MAX_BODY = '64kb';

const parser = express.json({ limit: MAX_BODY, strict: false });

/**
 * Parses JSON bodies without answering errors itself: a malformed or oversized body is remembered
 * and reported by the route, after authentication — so an unauthenticated client gets its 401,
 * not a 400 that would tell it anything.
 * @example app.use(jsonBody())
 */
export function jsonBody(): RequestHandler {
  return (req, res, next) => {
    parser(req, res, (error?: unknown) => {
      if (error) {
        res.locals.bodyError =
          (error as { type?: string }).type === 'entity.too.large' ? 'too-large' : 'malformed';
        req.body = undefined;
      }
      next();
    });
  };
}

/**
 * Validates a request body against an agent-api schema; on failure answers 400/413 and returns
 * undefined. A `token` field (the auth core's body token source) is not part of the payload.
 * @example const body = readBody(req.body, res, CreateAgentRequest); if (!body) return;
 */
export function readBody<T extends z.ZodType>(
  body: unknown,
  res: Response,
  schema: T,
): z.infer<T> | undefined {
  if (res.locals.bodyError === 'too-large') {
    sendError(res, 'ERR_PAYLOAD_TOO_LARGE', `The body is larger than ${MAX_BODY}.`);
    return undefined;
  }
  if (res.locals.bodyError === 'malformed') {
    sendError(res, 'ERR_BAD_REQUEST', 'The body is not valid JSON.');
    return undefined;
  }
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    sendError(
      res,
      'ERR_BAD_REQUEST',
      'The body must be a JSON object (Content-Type: application/json).',
    );
    return undefined;
  }
  const { [TOKEN_BODY_FIELD]: _token, ...payload } = body as Record<string, unknown>;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    sendError(res, 'ERR_BAD_REQUEST', formatZodError(parsed.error));
    return undefined;
  }
  return parsed.data;
}
