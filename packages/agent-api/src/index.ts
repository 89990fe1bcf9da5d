export {
  ACCESS_MODES,
  AccessMode,
  AGENT_LIMITS,
  Agent,
  AgentId,
  AgentListResponse,
  CreateAgentRequest,
  PromptRequest,
  PromptResponse,
  StopResponse,
} from './agent.js';
export {
  ApiError,
  type ApiErrorCode,
  apiError,
  HealthResponse,
} from './api-error.js';
export { formatZodError } from './format-zod-error.js';
export { ModelInfo, ModelListResponse } from './models.js';
export {
  ACCESS_TOKEN_QUERY,
  AGENTS_BASE_PATH,
  agentPaths,
  agentRoutes,
  HEALTHCHECK_PATH,
  reactSocketUrl,
} from './paths.js';
export {
  CLIENT_FRAME_TYPES,
  ClientFrame,
  PromptFrame,
  StopFrame,
} from './protocol/client-frames.js';
export { CLOSE_CODE, type CloseCode } from './protocol/close-codes.js';
export {
  DEFAULT_SNAPSHOT_MAX_BYTES,
  DEFAULT_WS_MAX_PAYLOAD,
  PROMPT_MAX_LENGTH,
  SNAPSHOT_MAX_STEPS,
  STEPS_PAGE_DEFAULT,
  STEPS_PAGE_MAX,
} from './protocol/limits.js';
export {
  ErrorEvent,
  PROTOCOL_ERROR_CODES,
  ProtocolErrorCode,
  RUN_STATES,
  RunState,
  ServerEvent,
  SnapshotEvent,
  StatusEvent,
  StepEvent,
} from './protocol/server-events.js';
export { PROTOCOL_VERSION, REACT_SUBPROTOCOL } from './protocol/version.js';
export {
  AgentSettings,
  AgentSettingsView,
  DEFAULT_SETTINGS,
  SETTINGS_LIMITS,
  TOOL_NAMES,
  ToolName,
  UpdateSettingsRequest,
} from './settings.js';
export {
  STEP_KINDS,
  Step,
  StepCursor,
  type StepKind,
  StepsPage,
  StepsQuery,
  TextDelta,
} from './steps.js';
export { UsageResponse, UsageTotals } from './usage.js';
