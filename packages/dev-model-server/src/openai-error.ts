import type { ServerResponse } from 'node:http';

/**
 * Answers with an OpenAI-style error body `{ error: { message, type, param, code } }`.
 * @example sendOpenAiError(res, 404, 'model_not_found', 'The model `x` does not exist.')
 */
export function sendOpenAiError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  const type =
    status === 401
      ? 'authentication_error'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code } });
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
