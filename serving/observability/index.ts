/** Metrics, OpenAPI docs, readiness and trace propagation of the read API. */
export { installApiDocs } from './api-docs.js';
export { installMetrics, ServingMetrics } from './metrics.js';
export { installReadiness, type ReadinessDeps } from './readiness.js';
export { installTraceparent, traceIdOf } from './trace.js';
