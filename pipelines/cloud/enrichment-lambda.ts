import { createLogger } from '../../core/index.js';
import { createEnrichmentHandler } from './enrichment.js';
import { loadPseudonymizerFromSecretsExtension } from './pseudonym-secret.js';

/**
 * Lambda entry point of the Pipes enrichment (bundled by `infra/`). The secret
 * id comes from `LUCA_PSEUDONYM_SECRET_ID`, set by the stack; the extension's
 * port from `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, which the layer honours.
 */
export const handler = createEnrichmentHandler({
  logger: createLogger({ base: { job: 'grade-stream-enrichment' } }),
  pseudonymizer: () =>
    loadPseudonymizerFromSecretsExtension({
      secretId: process.env.LUCA_PSEUDONYM_SECRET_ID ?? 'luca/pseudonym-master-key',
      port: Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773),
    }),
});
