import { createLogger } from '../../core/index.js';
import { createEnrichmentHandler } from './enrichment.js';
import { loadPseudonymizerFromSecretsExtension } from './pseudonym-secret.js';

/**
 * Lambda entry point of the Pipes enrichment (bundled by `infra/`). The secret
 * id comes from `LUCA_PSEUDONYM_SECRET_ID`, set by the stack.
 */
export const handler = createEnrichmentHandler({
  logger: createLogger({ base: { job: 'grade-stream-enrichment' } }),
  pseudonymizer: () =>
    loadPseudonymizerFromSecretsExtension({
      secretId: process.env.LUCA_PSEUDONYM_SECRET_ID ?? 'luca/pseudonym-master-key',
    }),
});
