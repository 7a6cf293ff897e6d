/**
 * Where a published snapshot document's big members sit in its text: a
 * contract between the publish job, which writes it into the document, and
 * the read API, which splices `profile` and `grades` into its response
 * without scanning them (ADR 0095). The
 * member is `"layout":"<p0>,<p1>,<g0>,<g1>,<f0>,<f1>"`, right after
 * `schema_version`: start and end offsets (end exclusive, in UTF-16 code
 * units, which are bytes because only ASCII documents get one) of the
 * values of `profile`, `grades` and `freshness`, each as 7 zero-padded
 * digits. All zeros means "no layout": the reader scans the document.
 */
export interface SnapshotLayout {
  readonly profile: MemberSpan;
  readonly grades: MemberSpan;
  readonly freshness: MemberSpan;
}

export interface MemberSpan {
  readonly start: number;
  readonly end: number;
}

/** How every published document begins; the layout's digits follow. */
export const layoutHead = '{"schema_version":1,"layout":"';

const width = 7;
const largest = 10 ** width - 1;

/** The layout member's value before it is known (or when the document has none). */
export const noLayout = Array.from({ length: 6 }, () => '0'.repeat(width)).join(',');

/** The layout digits of six offsets, or undefined when one does not fit in 7 digits. */
export function layoutText(offsets: readonly number[]): string | undefined {
  if (offsets.some((offset) => offset > largest)) return undefined;

  return offsets.map((offset) => String(offset).padStart(width, '0')).join(',');
}

/** A document as the read API gets it: text, or the UTF-8 bytes Redis stored. */
export type SnapshotText = string | Uint8Array;

function codeAt(doc: SnapshotText, at: number): number {
  return typeof doc === 'string' ? doc.charCodeAt(at) : (doc[at] ?? Number.NaN);
}

/** True when `text` (ASCII) stands in `doc` at `at`. */
function standsAt(doc: SnapshotText, text: string, at: number): boolean {
  if (at < 0 || at + text.length > doc.length) return false;
  for (let index = 0; index < text.length; index++) {
    if (codeAt(doc, at + index) !== text.charCodeAt(index)) return false;
  }

  return true;
}

const openBrace = 123;
const closeBrace = 125;

function offsetAt(doc: SnapshotText, at: number): number {
  let value = 0;
  for (let i = at; i < at + width; i++) {
    const digit = codeAt(doc, i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }

  return value;
}

function readOffsets(doc: SnapshotText): number[] | undefined {
  const offsets: number[] = [];
  for (let index = 0; index < 6; index++) {
    const at = layoutHead.length + index * (width + 1);
    const separator = index === 5 ? '"' : ',';
    if (!standsAt(doc, separator, at + width)) return undefined;
    const offset = offsetAt(doc, at);
    if (offset < 0) return undefined;
    offsets.push(offset);
  }

  return offsets;
}

/** True when `key` (with its quotes and colon) ends right where the value at `start` begins. */
function keyBefore(doc: SnapshotText, start: number, key: string): boolean {
  return standsAt(doc, key, start - key.length);
}

/** True when the span holds `null`. */
export function isNullSpan(doc: SnapshotText, span: MemberSpan): boolean {
  return span.end - span.start === 4 && standsAt(doc, 'null', span.start);
}

/** True when the span holds an object or `null`, by its first and last characters. */
function isObjectOrNull(doc: SnapshotText, span: MemberSpan): boolean {
  if (isNullSpan(doc, span)) return true;

  return codeAt(doc, span.start) === openBrace && codeAt(doc, span.end - 1) === closeBrace;
}

/**
 * The layout of a document (text, or its UTF-8 bytes), or undefined when it
 * has none or when the offsets do not land on the members they name (each
 * value must follow its key, be an object or `null`, and the three must be
 * the document's last members in this order, ending it). What lies inside
 * the spans is not checked: documents come from the publish job alone.
 */
export function readLayout(doc: SnapshotText): SnapshotLayout | undefined {
  if (!standsAt(doc, layoutHead, 0)) return undefined;
  const offsets = readOffsets(doc);
  if (!offsets || offsets[0] === 0) return undefined;
  const [p0, p1, g0, g1, f0, f1] = offsets as [number, number, number, number, number, number];
  const layout = {
    profile: { start: p0, end: p1 },
    grades: { start: g0, end: g1 },
    freshness: { start: f0, end: f1 },
  };
  const isInPlace =
    keyBefore(doc, p0, ',"profile":') &&
    g0 === p1 + ',"grades":'.length &&
    keyBefore(doc, g0, ',"grades":') &&
    f0 === g1 + ',"freshness":'.length &&
    keyBefore(doc, f0, ',"freshness":') &&
    f1 === doc.length - 1 &&
    codeAt(doc, f1) === closeBrace &&
    isObjectOrNull(doc, layout.profile) &&
    isObjectOrNull(doc, layout.grades) &&
    codeAt(doc, f0) === openBrace &&
    codeAt(doc, f1 - 1) === closeBrace;

  return isInPlace ? layout : undefined;
}
