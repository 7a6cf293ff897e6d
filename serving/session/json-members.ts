/**
 * Where each top-level member of a JSON object sits in its text, found in one
 * validating pass without building any value (ADR 0072): the read path splices
 * the stored snapshot's `profile` and `grades` into the response instead of
 * parsing and re-serialising them. Returns undefined when the text is not one
 * valid JSON object (RFC 8259), so a corrupt document is still refused.
 */
export type MemberSpans = Map<string, { start: number; end: number }>;

const quote = 34;
const backslash = 92;
const colon = 58;
const comma = 44;

class Invalid extends Error {}

function fail(): never {
  throw new Invalid();
}

function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

/**
 * Set per document: true when it holds no backslash and no control character,
 * so every string ends at the next quote and needs no character-by-character
 * check (a native `indexOf` finds it). The publish job's documents are so.
 */
let plainStrings = false;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point.
const controlOrBackslash = /[\u0000-\u001f\\]/;

/** Index after the string starting at `at` (its opening quote). */
function skipString(text: string, at: number): number {
  if (plainStrings) {
    const close = text.indexOf('"', at + 1);
    if (close < 0) fail();

    return close + 1;
  }
  let i = at + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c < 32 || Number.isNaN(c)) fail();
    if (c === backslash) i += escapeLength(text, i);
    else i++;
  }
}

function escapeLength(text: string, at: number): number {
  const c = text[at + 1];
  if (c === 'u') {
    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail();

    return 6;
  }
  if (c === undefined || !'"\\/bfnrt'.includes(c)) fail();

  return 2;
}

function skipLiteral(text: string, at: number, literal: string): number {
  if (!text.startsWith(literal, at)) fail();

  return at + literal.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipDigits(text: string, at: number): number {
  let i = at;
  while (isDigit(text.charCodeAt(i))) i++;

  return i;
}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, scanned by hand (a regex per number cost more). */
function skipNumber(text: string, at: number): number {
  let i = text.charCodeAt(at) === 45 ? at + 1 : at;
  const first = text.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) i = skipDigits(text, i + 1);
  else fail();
  if (text.charCodeAt(i) === 46) {
    if (!isDigit(text.charCodeAt(i + 1))) fail();
    i = skipDigits(text, i + 1);
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (!isDigit(text.charCodeAt(i))) fail();
    i = skipDigits(text, i);
  }

  return i;
}

/** Index after the value starting at `at` (no leading space). */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === 123) return skipContainer(text, at, 125, true);
  if (c === 91) return skipContainer(text, at, 93, false);
  if (c === quote) return skipString(text, at);
  if (c === 116) return skipLiteral(text, at, 'true');
  if (c === 102) return skipLiteral(text, at, 'false');
  if (c === 110) return skipLiteral(text, at, 'null');

  return skipNumber(text, at);
}

function skipContainer(text: string, at: number, close: number, isObject: boolean): number {
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === close) return i + 1;
  for (;;) {
    if (isObject) {
      if (text.charCodeAt(i) !== quote) fail();
      i = skipSpace(text, skipString(text, i));
      if (text.charCodeAt(i) !== colon) fail();
      i = skipSpace(text, i + 1);
    }
    i = skipSpace(text, skipValue(text, i));
    const c = text.charCodeAt(i);
    if (c === close) return i + 1;
    if (c !== comma) fail();
    i = skipSpace(text, i + 1);
  }
}

function membersOf(text: string): MemberSpans {
  plainStrings = !controlOrBackslash.test(text);
  const spans: MemberSpans = new Map();
  let i = skipSpace(text, 0);
  if (text[i] !== '{') fail();
  i = skipSpace(text, i + 1);
  if (text[i] === '}') return finish(text, i + 1, spans);
  for (;;) {
    if (text.charCodeAt(i) !== quote) fail();
    const keyEnd = skipString(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') fail();
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start);
    // A repeated key keeps its last value, as JSON.parse does.
    spans.set(key, { start, end });
    i = skipSpace(text, end);
    if (text[i] === '}') return finish(text, i + 1, spans);
    if (text[i] !== ',') fail();
    i = skipSpace(text, i + 1);
  }
}

function finish(text: string, at: number, spans: MemberSpans): MemberSpans {
  if (skipSpace(text, at) !== text.length) fail();

  return spans;
}

/**
 * The spans of the top-level members of a JSON object text, or undefined if
 * the text is not a valid JSON object. Keys are compared as written (a key
 * spelled with escapes keeps its escapes).
 *
 * @example
 * const spans = jsonMembers('{"a":1,"b":{"c":[2]}}');
 * spans?.get('b'); // { start: 10, end: 19 }
 */
export function jsonMembers(text: string): MemberSpans | undefined {
  try {
    return membersOf(text);
  } catch (err) {
    // Nesting deep enough to exhaust the stack is not a document we published.
    if (err instanceof Invalid || err instanceof RangeError) return undefined;
    throw err;
  }
}
