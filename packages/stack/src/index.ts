export { type Child, type ChildSpec, startChild } from './child.js';
export { childPids } from './child-pids.js';
export { loadStackConfig, STACK_ENV, type StackConfig, StackConfigError } from './config.js';
export { freePort } from './free-port.js';
export { AUTH_CONF_FILE, type StackSecret, stackSecret } from './secret-store.js';
export { DEMO_LINK_TTL, DEMO_USER, signInLink } from './sign-in-link.js';
export { type RunningStack, type StackIo, say, startStack, stopStack } from './stack.js';
export { waitHealthy } from './wait-healthy.js';
