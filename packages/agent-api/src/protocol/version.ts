/**
 * The WebSocket protocol version. Every frame in both directions carries `v`; a client frame with
 * another version gets an `ERR_UNSUPPORTED_VERSION` error event. Bump on any breaking change.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The WebSocket subprotocol name of the agent chat. A browser lists it in `Sec-WebSocket-Protocol`
 * next to the bearer entry carrying its token; the 101 echoes only this name.
 */
export const REACT_SUBPROTOCOL = 'agentauth.react.v1';
