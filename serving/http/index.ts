export { registerAuth, requirePrincipal, requireRole } from './auth.js';
export { httpErrors } from './errors.js';
export { type HealthCheck, type HealthOptions, healthRoutes } from './health.js';
export { type Problem, sendProblem } from './problem.js';
export {
  fullRequestLog,
  installRequestLog,
  isTraceSampled,
  type RequestLogPolicy,
  sampledRequestLog,
} from './request-log.js';
export { requestTraceId, traceIdFromTraceparent } from './trace.js';
export { type LocalServer, type LocalServerOptions, startLocalServer } from './local-server.js';
