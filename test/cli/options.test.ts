import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { acceptedNumber, checkedNumber, describeRule, numberArg } from '../../cli/options.js';
import { repoRoot } from '../../core/index.js';

describe('numberArg (CLI number flags)', () => {
  it.each([
    ['42', { whole: true, min: 1 }, 42],
    ['0', { whole: true, min: 0, max: 65535 }, 0],
    ['0.25', { min: 0, max: 1 }, 0.25],
    ['0.001', { above: 0 }, 0.001],
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
    ['0', { above: 0 }],
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
    expect(describeRule({ above: 0 })).toBe('a number above 0');
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

describe('luca govsim and sync flags', () => {
  it('refuses a fault rate outside 0-1 with SYNC_ERR_INVALID_OPTION before starting anything', () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'bin', 'luca.mjs'),
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'luca-cli-')),
        'govsim',
        '--port',
        '0',
        '--error-rate',
        '2',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "error SYNC_ERR_INVALID_OPTION: --error-rate must be a number from 0 to 1, not '2'.",
    );
    expect(run.stdout).toBe('');
  });
});
