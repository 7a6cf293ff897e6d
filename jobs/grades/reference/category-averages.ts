import type { CategoryExplanation, ExplainedValue } from '../grade-types.js';
import type { GradingPolicy } from '../policy/policy-schema.js';
import { Exact, type ExactValue, keptText, trimZeros } from './exact.js';

/** A counted value of one evaluation in one category. */
export interface CountedValue {
  readonly evaluation_id: string;
  readonly category: string;
  readonly value: ExactValue;
}

/** A category's average and what went into it. */
export interface CategoryResult {
  readonly explanation: CategoryExplanation;
  readonly weight: ExactValue;
  readonly average: ExactValue | null;
}

function byValueThenId(a: CountedValue, b: CountedValue): number {
  const order = a.value.comparedTo(b.value);
  if (order !== 0) return order;

  return a.evaluation_id < b.evaluation_id ? -1 : a.evaluation_id > b.evaluation_id ? 1 : 0;
}

function explained(value: CountedValue): ExplainedValue {
  return { evaluation_id: value.evaluation_id, value: keptText(value.value) };
}

/**
 * Averages one category: drops its `drop_lowest` lowest values (ties: the
 * smaller evaluation id first), never the last one, and takes the mean.
 */
export function averageCategory(
  category: GradingPolicy['categories'][number],
  values: readonly CountedValue[],
): CategoryResult {
  const sorted = values.filter((value) => value.category === category.id).sort(byValueThenId);
  const dropCount = Math.max(0, Math.min(category.drop_lowest, sorted.length - 1));
  const dropped = sorted.slice(0, dropCount);
  const keptValues = sorted.slice(dropCount);
  const weight = new Exact(category.weight);
  const average =
    keptValues.length === 0
      ? null
      : keptValues
          .reduce((sum, value) => sum.plus(value.value), new Exact(0))
          .div(keptValues.length);
  const keptById = [...keptValues].sort((a, b) =>
    a.evaluation_id < b.evaluation_id ? -1 : a.evaluation_id > b.evaluation_id ? 1 : 0,
  );

  return {
    weight,
    average,
    explanation: {
      id: category.id,
      weight: trimZeros(String(category.weight)),
      applied: average !== null,
      average: average === null ? null : keptText(average),
      values: keptById.map(explained),
      dropped: dropped.map(explained),
    },
  };
}
