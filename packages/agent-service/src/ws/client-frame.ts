import {
  CLIENT_FRAME_TYPES,
  ClientFrame,
  formatZodError,
  PROTOCOL_VERSION,
  type ProtocolErrorCode,
} from '@agentauth/agent-api';

export type FrameResult =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly code: ProtocolErrorCode; readonly message: string };

/**
 * Parses one text frame of the v1 protocol into a client frame, or says in one sentence why not.
 * @example parseClientFrame('{"v":1,"type":"stop"}') // { ok: true, frame: { v: 1, type: 'stop' } }
 */
export function parseClientFrame(text: string): FrameResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'ERR_BAD_FRAME', message: 'Frames must be JSON objects.' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, code: 'ERR_BAD_FRAME', message: 'Frames must be JSON objects.' };
  }
  const { v, type } = json as { v?: unknown; type?: unknown };
  if (v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'ERR_UNSUPPORTED_VERSION',
      message: `This service speaks protocol version ${PROTOCOL_VERSION}; send "v": ${PROTOCOL_VERSION}.`,
    };
  }
  if (typeof type !== 'string' || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      code: 'ERR_BAD_FRAME',
      message: `Unknown frame type; expected one of: ${CLIENT_FRAME_TYPES.join(', ')}.`,
    };
  }
  const parsed = ClientFrame.safeParse(json);
  if (!parsed.success)
    return { ok: false, code: 'ERR_BAD_FRAME', message: formatZodError(parsed.error) };
  return { ok: true, frame: parsed.data };
}
