import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoDate, opaqueId } from '../../../core/index.js';

/** How the consolidated value is brought to the policy's decimals. */
export const roundingModes = ['truncate', 'half_up', 'half_even'] as const;

/** What a missing (not handed in) evaluation counts as. */
export const missingRules = ['exclude', 'zero', 'scale_min'] as const;

/** A decimal with at most `places` decimals, between `min` and `max`. */
function decimalNumber(places: number, min: number, max: number) {
  return z
    .number()
    .finite()
    .min(min)
    .max(max)
    .refine((value) => decimalPlaces(value) <= places, `at most ${places} decimals`);
}

/** Number of decimals in the shortest representation of `value`. */
export function decimalPlaces(value: number): number {
  const text = String(value);
  if (text.includes('e')) return Number.POSITIVE_INFINITY;
  const dot = text.indexOf('.');

  return dot === -1 ? 0 : text.length - dot - 1;
}

const category = z.strictObject({
  id: opaqueId,
  weight: decimalNumber(2, 0, 10_000).refine((weight) => weight > 0, 'must be positive'),
  drop_lowest: z.number().int().min(0).max(100).default(0),
});

const scale = z.strictObject({
  min: decimalNumber(2, 0, 1000),
  max: decimalNumber(2, 0, 1000),
  passing: decimalNumber(2, 0, 1000),
});

const policyShape = z.strictObject({
  policy_id: opaqueId,
  version: z.number().int().min(1),
  effective_from: isoDate,
  scale,
  decimals: z.number().int().min(0).max(2),
  rounding: z.enum(roundingModes),
  failing_reported_as_min: z.boolean().default(false),
  missing: z.enum(missingRules).default('exclude'),
  categories: z.array(category).min(1).max(50),
  extra_credit: z.strictObject({ max_points: decimalNumber(2, 0, 1000) }).default({
    max_points: 0,
  }),
  /** Subject codes, matched case-insensitively (stored in upper case). */
  excluded_from_average: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z0-9_]{2,16}$/, 'a subject code is 2-16 of A-Z 0-9 _')
        .transform((code) => code.toUpperCase()),
    )
    .default([]),
});

/** One validation problem, with the JSON path it concerns. */
export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

/**
 * Rules across fields, checked on the raw input so they are reported even
 * when other fields are invalid too: min < passing <= max, scale values with
 * no more decimals than `decimals`, unique category ids.
 */
export function crossFieldProblems(input: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (input === null || typeof input !== 'object') return problems;
  const { scale, decimals, categories } = input as Record<string, unknown>;
  if (scale !== null && typeof scale === 'object') {
    const { min, max, passing } = scale as Record<string, unknown>;
    if (isNumber(min) && isNumber(passing) && !(min < passing)) {
      problems.push({ path: 'scale', message: 'min must be below passing' });
    }
    if (isNumber(passing) && isNumber(max) && !(passing <= max)) {
      problems.push({ path: 'scale', message: 'passing must not exceed max' });
    }
    for (const [key, value] of Object.entries({ min, max, passing })) {
      if (isNumber(value) && isNumber(decimals) && decimalPlaces(value) > decimals) {
        const message = `has more decimals than "decimals" (${decimals})`;
        problems.push({ path: `scale.${key}`, message });
      }
    }
  }
  if (Array.isArray(categories)) {
    const seen = new Set<unknown>();
    categories.forEach((entry: unknown, index) => {
      const id = (entry as { id?: unknown } | null)?.id;
      if (id !== undefined && seen.has(id)) {
        problems.push({ path: `categories.${index}.id`, message: `duplicate category id "${id}"` });
      }
      seen.add(id);
    });
  }

  return problems;
}

/**
 * A tenant's grading policy, as `luca policy set` accepts it (see
 * docs/policy-reference.md for every field and its exact semantics).
 */
export const gradingPolicy = policyShape.superRefine((policy, ctx) => {
  for (const problem of crossFieldProblems(policy)) {
    ctx.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message });
  }
});

export type GradingPolicy = z.output<typeof gradingPolicy>;
export type PolicyInput = z.input<typeof gradingPolicy>;
export type RoundingMode = (typeof roundingModes)[number];
export type MissingRule = (typeof missingRules)[number];

/** Validates a policy, returning it with defaults applied or every problem found. */
export function validatePolicy(
  input: unknown,
): { ok: true; policy: GradingPolicy } | { ok: false; problems: PolicyProblem[] } {
  const parsed = gradingPolicy.safeParse(input);
  if (parsed.success) return { ok: true, policy: parsed.data };
  const problems = parsed.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
  // zod skips the cross-field rules when a field is invalid: report them anyway.
  for (const problem of crossFieldProblems(input)) {
    const known = problems.some((p) => p.path === problem.path && p.message === problem.message);
    if (!known) problems.push(problem);
  }

  return { ok: false, problems };
}

/** JSON with object keys sorted at every level: the same policy always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }

  return JSON.stringify(value);
}

/** `sha256:` and the hex digest of the policy's canonical JSON (defaults applied). */
export function policyHash(policy: GradingPolicy): string {
  return `sha256:${createHash('sha256').update(canonicalJson(policy)).digest('hex')}`;
}

/**
 * The policy of a tenant that never set one: the SEP scale 5-10 passing at 6,
 * one decimal truncated, failing grades reported as 5, missing work excluded,
 * and the four usual categories (exam 40, homework 30, project 20,
 * participation 10) without drops or extra credit.
 */
export const defaultPolicy: GradingPolicy = gradingPolicy.parse({
  policy_id: 'default',
  version: 1,
  effective_from: '2000-01-01',
  scale: { min: 5, max: 10, passing: 6 },
  decimals: 1,
  rounding: 'truncate',
  failing_reported_as_min: true,
  missing: 'exclude',
  categories: [
    { id: 'exam', weight: 40 },
    { id: 'homework', weight: 30 },
    { id: 'project', weight: 20 },
    { id: 'participation', weight: 10 },
  ],
});
