import { InvalidArgumentError } from 'commander';

/** Which numbers a flag accepts. */
export interface NumberRule {
  /** Whole numbers only. */
  readonly whole?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Only numbers greater than this (for "positive": 0). */
  readonly above?: number;
}

/** The rule in words, for the error message: "a whole number from 1 to 64". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.whole ? 'a whole number' : 'a number';
  if (rule.above !== undefined) return `${kind} above ${rule.above}`;
  if (rule.min !== undefined && rule.max !== undefined)
    return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind} of ${rule.min} or more`;
  if (rule.max !== undefined) return `${kind} of ${rule.max} or less`;

  return kind;
}

/** The value as a number when it is one the rule accepts, else undefined. */
export function acceptedNumber(value: string, rule: NumberRule): number | undefined {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  const isAccepted =
    Number.isFinite(number) &&
    (!rule.whole || Number.isInteger(number)) &&
    (rule.min === undefined || number >= rule.min) &&
    (rule.max === undefined || number <= rule.max) &&
    (rule.above === undefined || number > rule.above);

  return isAccepted ? number : undefined;
}

/**
 * A commander argument parser for a numeric flag: the value as a number, or
 * commander's usage error naming the flag, the value and what it should be
 * (non-zero exit, nothing run).
 *
 * @example
 * command.option('--limit <n>', 'records to read', numberArg({ whole: true, min: 1 }), 5000);
 * // luca audit export --limit abc
 * // error: option '--limit <n>' argument 'abc' is invalid. Expected a whole number of 1 or more.
 */
export function numberArg(rule: NumberRule): (value: string) => number {
  return (value) => {
    const number = acceptedNumber(value, rule);
    if (number === undefined) throw new InvalidArgumentError(`Expected ${describeRule(rule)}.`);

    return number;
  };
}

/** A TCP port to listen on; 0 picks a free one. */
export const portArg = numberArg({ whole: true, min: 0, max: 65535 });

/**
 * A flag's value checked inside the action, for commands whose refusals
 * carry their own stable error code: undefined when the flag is absent, the
 * number when the rule accepts it, else `fail`'s error with a message that
 * names the flag, the rule and the value.
 *
 * @example
 * checkedNumber('--days', flags.days, { whole: true }, (message) =>
 *   seedErrors.create('SEED_ERR_INVALID_OPTION', message));
 */
export function checkedNumber(
  flag: string,
  value: string | undefined,
  rule: NumberRule,
  fail: (message: string) => Error,
): number | undefined {
  if (value === undefined) return undefined;
  const number = acceptedNumber(value, rule);
  if (number === undefined) throw fail(`${flag} must be ${describeRule(rule)}, not '${value}'.`);

  return number;
}
