import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the registry sync (`luca sync ...` and `GET /v1/cutoffs/{id}/status`). */
export const syncErrors = defineErrorCatalogue('sync', {
  SYNC_ERR_CUTOFF_NOT_FOUND: { status: 404, title: 'Cutoff not found' },
  SYNC_ERR_NO_CREDENTIALS: { status: 500, title: 'No registry credentials for the school' },
  SYNC_ERR_CREDENTIALS_REJECTED: { status: 502, title: 'Registry rejected the credentials' },
  SYNC_ERR_REGISTRY_UNREACHABLE: { status: 502, title: 'Registry unreachable' },
  SYNC_ERR_NOT_SYNCED: { status: 409, title: 'Cutoff not synced yet' },
  SYNC_ERR_INVALID_OPTION: { status: 400, title: 'Invalid sync option' },
});
