export {
  defineErrorCatalogue,
  type ErrorCatalogue,
  type ErrorSpec,
  isLucaError,
  LucaError,
  registeredCatalogues,
} from './luca-error.js';
export { coreErrors } from './core-errors.js';
