import { type EngineName, sqlString } from '../../engine/index.js';
import type { HashedPolicy } from '../reference/calculator.js';
import { trimZeros } from '../reference/exact.js';

/** The policy that grades one tenant's period. */
export interface PolicyAssignment {
  readonly tenant_id: string;
  readonly period_id: string;
  readonly policy: HashedPolicy;
}

/**
 * The policy's rounding of a value in 1e-12 units to hundredths, shared by the
 * grade and the general-average models (one macro, so both round alike). It
 * reads `rounded_base` and `rounded_rest` (the value split at the policy's
 * step, `rounding_step_e12`) and the policy's `rounding` and `decimals`.
 */
const policyRoundingE2 = `(
    rounded_base + case
        when rounding = 'half_up'
            and rounded_rest * 2 >= rounding_step_e12
            then 1
        when rounding = 'half_even'
            and (
                rounded_rest * 2 > rounding_step_e12
                or (
                    rounded_rest * 2 = rounding_step_e12
                    and mod(rounded_base, 2) = 1
                )
            )
            then 1
        else 0
    end
) * case decimals when 0 then 100 when 1 then 10 else 1 end`;

/** The grades models' placeholders per engine: what differs, and the shared rounding macro. */
export const gradesEngineVars: Readonly<Record<EngineName, Record<string, string>>> = {
  duckdb: {
    fixed_int: 'hugeint',
    exact_div: '//',
    join_array: 'array_to_string',
    policy_rounding_e2: policyRoundingE2,
  },
  athena: {
    fixed_int: 'decimal(38, 0)',
    exact_div: '/',
    join_array: 'array_join',
    policy_rounding_e2: policyRoundingE2,
  },
};

/** A policy number (at most 2 decimals) in hundredths, exactly. */
function e2(value: number): number {
  return Math.round(value * 100);
}

function relation(columns: readonly string[], types: readonly string[], rows: string[][]) {
  const select = columns.map((column, index) => `cast(${column} as ${types[index]}) as ${column}`);
  if (rows.length === 0) {
    const nulls = columns.map((column, index) => `cast(null as ${types[index]}) as ${column}`);
    return `select ${nulls.join(', ')} where false`;
  }
  const values = rows.map((row) => `(${row.join(', ')})`).join(',\n');

  return `select ${select.join(', ')} from (values ${values}) as policy_rows(${columns.join(', ')})`;
}

const paramColumns = [
  'tenant_id',
  'period_id',
  'policy_id',
  'policy_version',
  'policy_hash',
  'scale_min_e2',
  'scale_passing_e2',
  'scale_max_e2',
  'decimals',
  'rounding',
  'missing_rule',
  'failing_as_min',
  'extra_max_e2',
  'extra_max_text',
] as const;
const paramTypes = [
  'varchar',
  'varchar',
  'varchar',
  'integer',
  'varchar',
  'bigint',
  'bigint',
  'bigint',
  'integer',
  'varchar',
  'varchar',
  'boolean',
  'bigint',
  'varchar',
];

/**
 * The policy as three small relations the models join to: `policy_params`
 * (one row per tenant and period), `policy_categories` and
 * `policy_excluded_subjects`. Returned as SQL queries to materialise.
 */
export function policyRelations(assignments: readonly PolicyAssignment[]) {
  const params = assignments.map(({ tenant_id, period_id, policy: { policy, hash } }) => [
    sqlString(tenant_id),
    sqlString(period_id),
    sqlString(policy.policy_id),
    String(policy.version),
    sqlString(hash),
    String(e2(policy.scale.min)),
    String(e2(policy.scale.passing)),
    String(e2(policy.scale.max)),
    String(policy.decimals),
    sqlString(policy.rounding),
    sqlString(policy.missing),
    String(policy.failing_reported_as_min),
    String(e2(policy.extra_credit.max_points)),
    sqlString(trimZeros(String(policy.extra_credit.max_points))),
  ]);
  const categories = assignments.flatMap(({ tenant_id, period_id, policy: { policy } }) =>
    policy.categories.map((category, position) => [
      sqlString(tenant_id),
      sqlString(period_id),
      sqlString(category.id),
      String(position),
      String(e2(category.weight)),
      sqlString(trimZeros(String(category.weight))),
      String(category.drop_lowest),
    ]),
  );
  const excluded = assignments.flatMap(({ tenant_id, period_id, policy: { policy } }) =>
    policy.excluded_from_average.map((code) => [
      sqlString(tenant_id),
      sqlString(period_id),
      sqlString(code),
    ]),
  );

  return {
    policy_params: relation(paramColumns, paramTypes, params),
    policy_categories: relation(
      [
        'tenant_id',
        'period_id',
        'category_id',
        'category_position',
        'weight_e2',
        'weight_text',
        'drop_lowest',
      ],
      ['varchar', 'varchar', 'varchar', 'integer', 'bigint', 'varchar', 'integer'],
      categories,
    ),
    policy_excluded_subjects: relation(
      ['tenant_id', 'period_id', 'subject_code'],
      ['varchar', 'varchar', 'varchar'],
      excluded,
    ),
  };
}
