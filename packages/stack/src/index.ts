export {
  loadStackConfig,
  STACK_ENV,
  type StackConfig,
  StackConfigError,
  StackEnvSchema,
} from './config.js';
export { AUTH_CONF_FILE, type StackSecret, stackSecret } from './secret-store.js';
export { DEMO_LINK_TTL, DEMO_USER, signInLink } from './sign-in-link.js';
export {
  type RunningStack,
  type StackIo,
  StackStartError,
  say,
  startStack,
  stopStack,
} from './stack.js';
export {
  MAX_RESTARTS,
  RESTART_BACKOFF_MS,
  RESTART_WINDOW_MS,
  type Supervised,
  type SuperviseOptions,
  supervise,
} from './supervise.js';
