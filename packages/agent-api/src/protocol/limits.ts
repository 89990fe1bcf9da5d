/** Longest prompt text accepted, in characters (the frame size limit applies as well). */
export const PROMPT_MAX_LENGTH = 16_000;

/** Default largest WebSocket frame the service accepts, in bytes (`WS_MAX_PAYLOAD`). */
export const DEFAULT_WS_MAX_PAYLOAD = 65_536;

/** Most history steps a snapshot carries (the newest ones). */
export const SNAPSHOT_MAX_STEPS = 500;
