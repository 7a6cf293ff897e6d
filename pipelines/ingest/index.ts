/** The ingest path: per-event admission, the service, and the `POST /v1/events` route. */
export { admitEvent, type Admission, type AdmissionContext } from './admission.js';
export { ingestErrors, type IngestRejectionCode } from './errors.js';
export { ingestRoutes, type IngestRouteOptions } from './ingest-routes.js';
export {
  createIngestService,
  defaultHighWaterMark,
  type EventResult,
  type IngestBatchResult,
  type IngestService,
  type IngestServiceOptions,
  ingestRoles,
  maxBatchBytes,
  maxBatchEvents,
} from './ingest-service.js';
