import type { FastifyInstance } from 'fastify';
import { coreErrors } from '../../core/index.js';
import { parseCutoffId } from '../../jobs/cutoff/index.js';
import { type SyncLedger, syncErrors, syncStatus } from '../../jobs/sync/index.js';
import { requirePrincipal, requireRole } from '../http/index.js';

export interface CutoffRoutesOptions {
  readonly ledger: SyncLedger;
}

/**
 * `GET /v1/cutoffs/{id}/status`: the sync of a cutoff against its 48-hour
 * deadline (counts by state, rate, projected finish, warning). For the
 * school's admins and the jobs that run the sync; platform operators see every
 * school.
 */
export async function cutoffRoutes(
  app: FastifyInstance,
  options: CutoffRoutesOptions,
): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/v1/cutoffs/:id/status',
    { preHandler: requireRole('school_admin', 'service', 'platform_operator') },
    async (request) => {
      const principal = requirePrincipal(request);
      const parsed = parseCutoffId(request.params.id);
      if (!parsed) {
        throw syncErrors.create(
          'SYNC_ERR_CUTOFF_NOT_FOUND',
          'A cutoff id looks like t-09dpr0001a.2026-2027-P1.v1.',
        );
      }
      if (principal.role !== 'platform_operator' && parsed.tenantId !== principal.tenantId) {
        throw coreErrors.create(
          'TENANCY_ERR_CROSS_TENANT',
          'This cutoff belongs to another school.',
        );
      }

      return syncStatus(options.ledger, request.params.id);
    },
  );
}
