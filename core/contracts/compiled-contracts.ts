import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { incomingEnvelope } from './envelope.js';
import { eventCatalogue, type EventFamily } from './event-catalogue.js';

/**
 * The event contracts compiled to plain validation functions (ajv) from the
 * JSON Schema that zod generates, so zod stays the single source of truth.
 * `validateEvent` uses them to *accept* an event quickly; every event they do
 * not accept goes through zod, which gives the rejection its code and message.
 * A property test (`test/core/compiled-contracts.test.ts`) checks that both
 * accept the same events and produce the same canonical event.
 */
export interface CompiledContract {
  readonly family: EventFamily;
  /** Envelope, this type's payload, and `student_id` when the type requires one. */
  readonly validate: ValidateFunction;
  /** Payload properties in the schema's order (zod's output order), with their defaults. */
  readonly payloadKeys: readonly string[];
  readonly payloadDefaults: Readonly<Record<string, unknown>>;
  /**
   * Set when the payload schema has checks JSON Schema cannot express (`refine`,
   * transforms): zod re-checks an accepted payload and its output is used.
   */
  readonly zodPayload?: z.ZodType;
}

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
};

const ajv = new Ajv2020({
  // zod's patterns are JavaScript regular expressions without the `u` flag.
  unicodeRegExp: false,
  // `format: date-time` comes with zod's own pattern, which is what zod checks.
  validateFormats: false,
  allErrors: false,
});

/** JSON Schema of a zod schema, and whether it lost checks zod would run. */
function toJsonSchema(schema: z.ZodType): { json: JsonSchema; isLossy: boolean } {
  let isLossy = false;
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override(context) {
      const def = context.zodSchema._zod.def as unknown as {
        type: string;
        checks?: { _zod: { def: { check: string } } }[];
      };
      if (['custom', 'transform', 'pipe', 'prefault'].includes(def.type)) isLossy = true;
      if (def.checks?.some((check) => check._zod.def.check === 'custom')) isLossy = true;
    },
  }) as JsonSchema;
  delete json.$schema;

  return { json, isLossy };
}

/** Top-level defaults only; a default deeper down would need zod to fill it. */
function hasNestedDefault(properties: Record<string, Record<string, unknown>>): boolean {
  return Object.values(properties).some((property) => {
    const { default: _ignored, ...rest } = property;
    return JSON.stringify(rest).includes('"default"');
  });
}

function compile(type: keyof typeof eventCatalogue, version: number): CompiledContract {
  const entry = eventCatalogue[type];
  const payloadSchema = (entry.versions as Record<number, z.ZodType>)[version] as z.ZodType;
  const envelope = toJsonSchema(incomingEnvelope).json;
  const payload = toJsonSchema(payloadSchema);
  const properties = payload.json.properties ?? {};
  const required = [...(envelope.required ?? [])];
  if (entry.requiresStudent) required.push('student_id');
  const eventSchema = {
    ...envelope,
    properties: {
      ...envelope.properties,
      event_type: { const: type },
      schema_version: { const: version },
      payload: payload.json,
    },
    required,
  };
  const payloadDefaults = Object.fromEntries(
    Object.entries(properties)
      .filter(([, property]) => 'default' in property)
      .map(([key, property]) => [key, property.default]),
  );
  const isLossy = payload.isLossy || hasNestedDefault(properties);

  return {
    family: entry.family,
    validate: ajv.compile(eventSchema),
    payloadKeys: Object.keys(properties),
    payloadDefaults,
    zodPayload: isLossy ? payloadSchema : undefined,
  };
}

/** Compiled contracts by event type, then version. */
const compiled = new Map<string, Map<number, CompiledContract>>();

/**
 * The compiled contract of an event type and version (compiled on first use
 * and kept), or undefined when the catalogue has no such type or version.
 */
export function compiledContract(type: string, version: number): CompiledContract | undefined {
  const known = compiled.get(type)?.get(version);
  if (known) return known;

  const entry = Object.hasOwn(eventCatalogue, type)
    ? eventCatalogue[type as keyof typeof eventCatalogue]
    : undefined;
  // Only catalogue entries are cached, so odd input cannot grow the map.
  if (entry === undefined || !Object.hasOwn(entry.versions, version)) return undefined;
  const contract = compile(type as keyof typeof eventCatalogue, version);
  const versions = compiled.get(type) ?? new Map<number, CompiledContract>();
  versions.set(version, contract);
  compiled.set(type, versions);

  return contract;
}

/** An accepted payload in zod's output form: schema key order, top-level defaults filled. */
export function canonicalPayload(
  contract: CompiledContract,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of contract.payloadKeys) {
    const value = payload[key];
    if (value !== undefined) out[key] = value;
    else if (Object.hasOwn(contract.payloadDefaults, key)) {
      const fallback = contract.payloadDefaults[key];
      out[key] = typeof fallback === 'object' ? structuredClone(fallback) : fallback;
    }
  }

  return out;
}
