/**
 * agent-service env lifting the per-user WebSocket caps. The handshake rows load one user far
 * beyond any per-user cap on purpose: they measure what a handshake costs, not the caps (which
 * refuse with 429 and have their own tests and the abuse suite's default-caps row).
 */
export const LIFTED_SOCKET_CAPS = {
  WS_MAX_SOCKETS_PER_USER: '100000',
  WS_UPGRADES_PER_MINUTE: '1000000',
} as const;
