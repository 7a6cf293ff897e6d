import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { acceptedNumber, checkedNumber, describeRule, numberArg } from '../../cli/options.js';

describe('numberArg (CLI number flags)', () => {
  it.each([
    ['42', { whole: true, min: 1 }, 42],
    ['0', { whole: true, min: 0, max: 65535 }, 0],
    ['0.25', { min: 0, max: 1 }, 0.25],
    [' 7 ', { whole: true }, 7],
  ])('accepts %j under %j', (value, rule, expected) => {
    expect(numberArg(rule)(value)).toBe(expected);
  });

  it.each([
    ['', { whole: true }],
    ['abc', { whole: true, min: 1 }],
    ['1.5', { whole: true, min: 1 }],
    ['0', { whole: true, min: 1 }],
    ['65536', { whole: true, min: 0, max: 65535 }],
    ['2', { min: 0, max: 1 }],
    ['Infinity', {}],
    ['1e400', {}],
  ])('refuses %j under %j', (value, rule) => {
    expect(acceptedNumber(value, rule)).toBeUndefined();
    expect(() => numberArg(rule)(value)).toThrow(InvalidArgumentError);
  });

  it('says in the error what the flag takes', () => {
    expect(() => numberArg({ whole: true, min: 1 })('x')).toThrow(
      'Expected a whole number of 1 or more.',
    );
    expect(describeRule({ min: 0, max: 1 })).toBe('a number from 0 to 1');
    expect(describeRule({ max: 9 })).toBe('a number of 9 or less');
    expect(describeRule({ whole: true })).toBe('a whole number');
  });
});

describe('checkedNumber (flags checked inside an action)', () => {
  const fail = (message: string) => new Error(`CODE: ${message}`);

  it('leaves an absent flag undefined and returns an accepted value', () => {
    expect(checkedNumber('--days', undefined, { whole: true }, fail)).toBeUndefined();
    expect(checkedNumber('--days', '30', { whole: true }, fail)).toBe(30);
  });

  it("throws the command's own error naming the flag, the rule and the value", () => {
    expect(() => checkedNumber('--days', 'many', { whole: true, min: 1 }, fail)).toThrow(
      "CODE: --days must be a whole number of 1 or more, not 'many'.",
    );
  });
});
