import { z } from 'zod';
import { incomingEnvelope } from './envelope.js';
import { eventCatalogue, type EventType } from './event-catalogue.js';

/**
 * JSON Schema documents generated from the zod contracts: one for the
 * envelope and one per event type and version. Written to `docs/schemas/` by
 * `luca contracts export` and checked for drift by a test.
 */
export function contractJsonSchemas(): Record<string, unknown> {
  const documents: Record<string, unknown> = {
    'envelope.schema.json': z.toJSONSchema(incomingEnvelope, { io: 'input' }),
  };
  for (const [type, entry] of Object.entries(eventCatalogue)) {
    for (const [version, schema] of Object.entries(entry.versions)) {
      const name = `${type as EventType}.v${version}.schema.json`;
      documents[name] = {
        title: `${type} v${version} payload`,
        'x-family': entry.family,
        'x-requires-student': entry.requiresStudent,
        ...z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
      };
    }
  }

  return documents;
}
