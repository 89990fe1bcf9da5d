export { type Child, type ChildSpec, startChild } from './child.js';
export { childPids } from './child-pids.js';
export { listeningPorts } from './listening-ports.js';
export { type OutputBuffer, outputBuffer } from './output-buffer.js';
export { type PortReservation, reservePort } from './reserve-port.js';
export { type RunningService, type ServiceLaunch, startService } from './start-service.js';
export { waitForPort, waitHealthy, waitUntil } from './wait-healthy.js';
