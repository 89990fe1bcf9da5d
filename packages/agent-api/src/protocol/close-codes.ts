/**
 * WebSocket close codes the agent-service uses. 4401 and 4403 equal auth-core's
 * `SESSION_CLOSE_CODE` (a test guards that); they are repeated here so this package stays
 * browser-safe and never pulls the auth core's Node code into a web bundle.
 */
export const CLOSE_CODE = {
  /** The client closed, or the service shut down cleanly. */
  normal: 1000,
  /** The service is shutting down. */
  goingAway: 1001,
  /**
   * The replica is restarting (a rolling update): reconnect at once — another replica answers
   * with a snapshot. The standard "Service Restart" code (RFC 6455 registry).
   */
  serviceRestart: 1012,
  /** A policy violation, e.g. binary frames. */
  policy: 1008,
  /** A frame larger than the service's `WS_MAX_PAYLOAD`. */
  tooLarge: 1009,
  /** The service could not serve the socket (e.g. its database is unreachable): reconnect later. */
  internalError: 1011,
  /** The session's token expired: reconnect with a fresh token. */
  tokenExpired: 4401,
  /** The user may no longer use agents. */
  forbidden: 4403,
  /** The agent was deleted while the socket was open. */
  agentDeleted: 4404,
  /**
   * The client did not read: more than the service's `WS_MAX_BUFFERED_BYTES` waited to be sent.
   * The run goes on; reconnect (the snapshot carries what was missed).
   */
  slowConsumer: 4408,
} as const;
export type CloseCode = (typeof CLOSE_CODE)[keyof typeof CLOSE_CODE];
