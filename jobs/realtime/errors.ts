import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the real-time signals consumer (`luca jobs realtime`). */
export const realtimeErrors = defineErrorCatalogue('realtime', {
  REALTIME_ERR_CATCH_UP_FAILED: { status: 500, title: 'Real-time catch-up failed' },
});
