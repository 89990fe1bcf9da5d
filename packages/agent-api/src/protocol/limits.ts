/** Longest prompt text accepted, in characters (the frame size limit applies as well). */
export const PROMPT_MAX_LENGTH = 16_000;

/** Default largest WebSocket frame the service accepts, in bytes (`WS_MAX_PAYLOAD`). */
export const DEFAULT_WS_MAX_PAYLOAD = 65_536;

/** Most history steps a snapshot carries (the newest ones). */
export const SNAPSHOT_MAX_STEPS = 500;

/**
 * Default byte budget of a snapshot's steps (`WS_SNAPSHOT_MAX_BYTES`): the newest steps whose
 * JSON fits, so a full history (500 steps of up to 16,000 characters, ~8 MB) never goes out in
 * one frame per upgrade. Older steps come from `GET /api/agents/:id/steps?before=…`.
 */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 256 * 1024;

/** Most steps one page of `GET /api/agents/:id/steps` returns (`limit`), and its default. */
export const STEPS_PAGE_MAX = 100;
export const STEPS_PAGE_DEFAULT = 50;
