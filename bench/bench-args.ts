/**
 * The command line of every bench: `node:util` `parseArgs` in strict mode, plus
 * `--help`/`-h`, and readers for numeric and one-of flags. A bench is a script
 * people start by hand, so a wrong flag ends it with exit code 2, one line on
 * stderr saying what is wrong and the usage, never a stack trace or a silent NaN.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The flags a bench declares, as `parseArgs` takes them (string flags carry their default). */
export type BenchOptions = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags of a bench: a string or boolean per declared flag, required when defaulted. */
export type BenchValues<O extends BenchOptions> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>['values'];

/** The flags of `V` that hold a string (the ones `number` and `choice` can read). */
type StringFlag<V> = { [K in keyof V]: V[K] extends string | undefined ? K : never }[keyof V] &
  string;

/** What one bench declares: its flags and the usage text `--help` prints. */
export interface BenchArgsSpec<O extends BenchOptions> {
  /** The usage lines of the bench's top doc comment: every flag with its default. */
  usage: string;
  options: O;
}

/**
 * The range a numeric flag must fall in. Without `min` the value must be above
 * zero; with `isWhole` it must also be an integer.
 */
export interface NumberRange {
  min?: number;
  isWhole?: boolean;
}

/** A bench's parsed flags and the readers that check them. */
export interface BenchArgs<V> {
  values: V;
  /** The flag as a number in `range`; undefined only when it has no default and is absent. */
  number<K extends StringFlag<V>>(
    name: K,
    range?: NumberRange,
  ): V[K] extends string ? number : number | undefined;
  /** The flag when it is one of `choices` (undefined only when it has no default and is absent). */
  choice<K extends StringFlag<V>, C extends string>(
    name: K,
    choices: readonly C[],
  ): V[K] extends string ? C : C | undefined;
}

/** Prints `message` and the usage to stderr and exits 2, the usual code for a bad command line. */
function failUsage(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage.trim()}\n`);
  process.exit(2);
}

/** `parseArgs` with `--help` added; its own errors become a one-line message and exit 2. */
function parseOrExit<O extends BenchOptions>(
  spec: BenchArgsSpec<O>,
  argv: readonly string[],
): Record<string, unknown> {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's advice on how to write a value or positional that starts with '-' is dropped:
    // benches take no positionals, and the first sentences say what is wrong.
    const [what = ''] = (error as Error).message.split(/\s*To specify /);
    failUsage(spec.usage, what.replace(/\s+/g, ' '));
  }
}

/** What `range` asks for, in words: "a positive number", "a whole number >= 10000". */
function rangeText(range: NumberRange): string {
  const kind = range.isWhole ? 'whole number' : 'number';

  return range.min === undefined ? `a positive ${kind}` : `a ${kind} >= ${range.min}`;
}

function isInRange(value: number, range: NumberRange): boolean {
  if (!Number.isFinite(value) || (range.isWhole && !Number.isInteger(value))) return false;

  return range.min === undefined ? value > 0 : value >= range.min;
}

function readNumber(usage: string, name: string, raw: unknown, range: NumberRange) {
  if (raw === undefined) return undefined;
  const value = String(raw).trim() === '' ? Number.NaN : Number(raw);
  if (!isInRange(value, range))
    failUsage(usage, `--${name} must be ${rangeText(range)}, got ${JSON.stringify(raw)}`);

  return value;
}

function readChoice<C extends string>(
  usage: string,
  name: string,
  raw: unknown,
  choices: readonly C[],
) {
  if (raw === undefined || choices.includes(raw as C)) return raw as C | undefined;
  failUsage(usage, `--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
}

/**
 * Parses a bench's command line. `--help` or `-h` prints the usage to stdout and
 * exits 0 before the bench starts; an unknown flag, a missing value or a
 * positional argument prints what is wrong and the usage to stderr and exits 2.
 *
 * @example
 * ```ts
 * const args = parseBenchArgs({
 *   usage: 'npx tsx bench/grades/run.ts [--scale 1] [--keep]',
 *   options: {
 *     scale: { type: 'string', default: '1' },
 *     keep: { type: 'boolean', default: false },
 *   },
 * });
 * const scale = args.number('scale'); // exits 2 on `--scale abc`
 * ```
 */
export function parseBenchArgs<O extends BenchOptions>(
  spec: BenchArgsSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): BenchArgs<BenchValues<O>> {
  const values = parseOrExit(spec, argv);
  if (values.help === true) {
    process.stdout.write(`${spec.usage.trim()}\n`);
    process.exit(0);
  }

  // The readers' return types depend on the flag; the implementations return the wider union.
  return {
    values: values as BenchValues<O>,
    number: (name, range = {}) => readNumber(spec.usage, name, values[name], range) as never,
    choice: (name, choices) => readChoice(spec.usage, name, values[name], choices) as never,
  };
}
