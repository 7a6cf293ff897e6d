import type { ErasedStudentsLookup } from '../../core/index.js';
import type { LandedEvent } from './backfill.js';

/**
 * The batch without the events of students erased in their tenant, the
 * registers asked once per tenant and batch: an erasure that registers its
 * student while the consumer or a catch-up runs is seen by the next batch,
 * before its events reach Redis (ADR 0092, 0093).
 */
export function withoutErased<Event extends LandedEvent>(
  batch: Event[],
  erasures: ErasedStudentsLookup,
): Event[] {
  const erased = new Map<string, ReadonlySet<string>>();
  const isErased = (event: Event) => {
    let students = erased.get(event.tenant_id);
    if (!students) {
      students = erasures.erasedIn(event.tenant_id);
      erased.set(event.tenant_id, students);
    }

    return students.has(event.student_id);
  };

  return batch.some(isErased) ? batch.filter((event) => !isErased(event)) : batch;
}
