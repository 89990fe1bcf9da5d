/**
 * The WebSocket protocol version. Every frame in both directions carries `v`; a client frame with
 * another version gets an `ERR_UNSUPPORTED_VERSION` error event. Bump on any breaking change.
 */
export const PROTOCOL_VERSION = 1;
