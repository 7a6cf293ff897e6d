import { Decimal } from 'decimal.js';
import type { RoundingMode } from '../policy/policy-schema.js';

/**
 * Decimal arithmetic for the reference: 60 significant digits, far beyond the
 * 12 decimals results are kept to, so a value that is exactly on a rounding
 * boundary (7.85) stays exactly on it.
 */
export const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
export type ExactValue = InstanceType<typeof Exact>;

/** Decimals every unrounded value is kept to (half-even), in SQL and here. */
export const keptDecimals = 12;

/** A score as consolidation reads it: 4 decimals, half up (scores are never negative). */
export function exactScore(score: number): ExactValue {
  return new Exact(Math.round(score * 10_000)).div(10_000);
}

/** An exact value rounded half-even to the 12 kept decimals. */
export function kept(value: ExactValue): ExactValue {
  return value.toDecimalPlaces(keptDecimals, Exact.ROUND_HALF_EVEN);
}

/** The kept value as text without trailing zeros: `6.666666666667`, `8`, `7.85`. */
export function keptText(value: ExactValue): string {
  return trimZeros(kept(value).toFixed(keptDecimals));
}

export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const roundingOf: Record<RoundingMode, Decimal.Rounding> = {
  truncate: Exact.ROUND_DOWN,
  half_up: Exact.ROUND_HALF_UP,
  half_even: Exact.ROUND_HALF_EVEN,
};

/** Applies the policy's rounding to `decimals` places (values are never negative). */
export function roundToPolicy(value: ExactValue, decimals: number, mode: RoundingMode) {
  return value.toDecimalPlaces(decimals, roundingOf[mode]);
}
