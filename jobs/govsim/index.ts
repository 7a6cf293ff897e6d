/**
 * The government registry simulator: a test double of the external system in
 * `contracts/gov-grades-api.yaml`, run by `luca govsim` and by tests.
 */
export {
  buildGovsimApp,
  type Govsim,
  type StartGovsimOptions,
  startGovsim,
} from './govsim-server.js';
export { GovsimState } from './govsim-state.js';
export type { RegisteredGrade } from './registry-store.js';
export {
  defaultSubjects,
  type EnrollmentOptions,
  type FaultOptions,
  type GovsimOptions,
  type GovsimOptionsInput,
  type MaintenanceWindow,
  noFaults,
  resolveGovsimOptions,
} from './sim-options.js';
export type { GovsimStats } from './sim-stats.js';
