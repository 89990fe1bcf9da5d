import { DEFAULT_SNAPSHOT_MAX_BYTES } from '@agentauth/agent-api';

/** What bounds one user's sockets and what one socket may cost (docs/agent-service.md). */
export interface SocketLimits {
  /** Byte budget of the steps in a snapshot (`WS_SNAPSHOT_MAX_BYTES`). */
  readonly snapshotMaxBytes: number;
  /** A socket with more than this waiting to be sent is closed with 4408 (`WS_MAX_BUFFERED_BYTES`). */
  readonly maxBufferedBytes: number;
  /** Concurrent sockets per user id, across agents (`WS_MAX_SOCKETS_PER_USER`). */
  readonly maxSocketsPerUser: number;
  /** Upgrades per user id per minute (`WS_UPGRADES_PER_MINUTE`). */
  readonly upgradesPerMinute: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  snapshotMaxBytes: DEFAULT_SNAPSHOT_MAX_BYTES,
  maxBufferedBytes: 1024 * 1024,
  maxSocketsPerUser: 32,
  upgradesPerMinute: 60,
};
