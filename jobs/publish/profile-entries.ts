import { masteryPrior } from '../features/index.js';
import type { DocumentWriter } from './document-writer.js';
import { encoded } from './document-writer.js';
import { EntryCache } from './entry-cache.js';

/** The stamp every row of a feature carries (`pub_feature_metadata`). */
export interface FeatureStamp {
  feature_id: string;
  unit: string;
  window_days: number;
  window_start: string;
  window_end: string;
  model: string;
  version: number;
  as_of: string;
}

function windowJson(stamp: FeatureStamp): string {
  const { window_days: days, window_start: start, window_end: end } = stamp;

  return `"window":${JSON.stringify({ days, start, end })}`;
}

function stampTail(stamp: FeatureStamp): string {
  const { model, version, as_of } = stamp;

  return `,"model":${JSON.stringify(model)},"version":${version},"as_of":${JSON.stringify(as_of)}}`;
}

/** A number as JSON text; null (NaN here) and non-finite values as `null`, as JSON.stringify does. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * The constant text of an entry around its two or three numbers, as text and
 * as bytes: an entry is `parts[0] a parts[1] b [parts[2] c] parts[last]`.
 * Entries are kept by two numbers (`EntryCache`) and then copied.
 */
class EntryTemplate {
  readonly #parts: readonly string[];
  readonly #bytes: readonly Uint8Array[];
  readonly #cache = new EntryCache();

  constructor(parts: readonly string[]) {
    this.#parts = parts;
    this.#bytes = parts.map(encoded);
  }

  /** Writes the entry; kept under (`first`, `second`) unless `first` is NaN. */
  write(writer: DocumentWriter, first: number, second: number, a: number, b: number, c?: number) {
    if (!Number.isNaN(first)) {
      const known = this.#cache.get(first, second);
      if (known !== undefined) return writer.bytes(known);
      const kept = this.#cache.isKeeping && this.#cache.keep(first, second, this.#text(a, b, c));
      if (kept) return writer.bytes(kept);
    }
    const bytes = this.#bytes;
    writer.bytes(bytes[0] as Uint8Array);
    writer.ascii(jsonNumber(a));
    writer.bytes(bytes[1] as Uint8Array);
    writer.ascii(jsonNumber(b));
    if (c !== undefined) {
      writer.bytes(bytes[2] as Uint8Array);
      writer.ascii(jsonNumber(c));
    }
    writer.bytes(bytes[bytes.length - 1] as Uint8Array);
  }

  #text(a: number, b: number, c: number | undefined): string {
    const [first, second, third, last] = this.#parts;
    const head = `${first}${jsonNumber(a)}${second}${jsonNumber(b)}`;

    return c === undefined ? `${head}${third}` : `${head}${third}${jsonNumber(c)}${last}`;
  }
}

/** A feature's entries: `{"feature_id":..,"value":v,"unit":..,"window":..,"event_count":e,..}`. */
export class FeatureEntries {
  readonly #template: EntryTemplate;

  constructor(stamp: FeatureStamp) {
    this.#template = new EntryTemplate([
      `{"feature_id":${JSON.stringify(stamp.feature_id)},"value":`,
      `,"unit":${JSON.stringify(stamp.unit)},${windowJson(stamp)},"event_count":`,
      stampTail(stamp),
    ]);
  }

  write(writer: DocumentWriter, value: number, events: number): void {
    this.#template.write(writer, events, value, value, events);
  }
}

/** Both counts whole and below 2^21: one exact number names the pair. */
function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < 2 ** 21;
}

/** One topic's mastery entries: topic, smoothed value, answers, correct, prior and stamp. */
export class MasteryEntries {
  readonly #template: EntryTemplate;

  constructor(topicId: string, stamp: FeatureStamp) {
    this.#template = new EntryTemplate([
      `{"topic_id":${JSON.stringify(topicId)},"value":`,
      ',"answers":',
      ',"correct":',
      `,"prior":${JSON.stringify(masteryPrior)},${windowJson(stamp)}${stampTail(stamp)}`,
    ]);
  }

  write(writer: DocumentWriter, value: number, answers: number, correct: number): void {
    // Kept only when the two counts name one pair (NaN: not kept).
    const pair = isCount(answers) && isCount(correct) ? answers * 2 ** 21 + correct : Number.NaN;
    this.#template.write(writer, pair, value, value, answers, correct);
  }
}
