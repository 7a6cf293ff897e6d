import { defineErrorCatalogue } from '../../core/index.js';

/** Errors of the HTTP edge itself (before any area's handler runs). */
export const httpErrors = defineErrorCatalogue('http', {
  HTTP_ERR_MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  HTTP_ERR_INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  HTTP_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  HTTP_ERR_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  HTTP_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  HTTP_ERR_INTERNAL: { status: 500, title: 'Internal server error' },
  HTTP_ERR_OVERLOADED: { status: 503, title: 'Server overloaded' },
});
